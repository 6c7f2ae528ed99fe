# One image for every resetflow process; docker-compose.yml picks one with `command`:
# `node dist/src/api/server.js` (API), `node dist/worker.js`, `node dist/scripts/migrate.js`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
# only what production runs: no dev/ (the local sinks and launchers), no bench/, no tests
COPY tsconfig.json tsconfig.production.json worker.ts ./
COPY src src
COPY scripts/migrate.ts scripts/bundle-workflows.ts scripts/openapi-document.ts scripts/
COPY console console
COPY clients clients
COPY migrations migrations
RUN npx tsc -p tsconfig.production.json && node dist/scripts/bundle-workflows.js && node dist/scripts/openapi-document.js \
 && npm run build:console && npm prune --omit=dev

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
