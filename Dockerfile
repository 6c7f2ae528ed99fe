# One image for every resetflow process; docker-compose.yml picks one with `command`:
# `node dist/src/api/server.js` (API), `node dist/worker.js`, `node dist/scripts/migrate.js`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json worker.ts ./
COPY src src
COPY dev dev
COPY scripts scripts
COPY bench bench
COPY console console
COPY clients clients
COPY migrations migrations
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/migrations migrations
USER node
EXPOSE 3000
CMD ["node", "dist/src/api/server.js"]
