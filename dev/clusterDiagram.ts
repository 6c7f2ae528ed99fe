import type { ClusterPorts } from './cluster';

/** The processes of `npm run cluster` and how they talk, as the launcher prints it (and docs/operations.md shows it). */
export function clusterDiagram(p: ClusterPorts): string {
  const apis = p.apis.map((port, i) => `api-${i + 1} :${port}`).join('   ');
  const workers = p.workerMetrics.map((_, i) => `worker-${i + 1}`).join('   ');
  const pg = (s: string, t: string) => `  │ ${s.padEnd(42)} │      │ ${t.padEnd(26)} │`;
  return [
    '   browsers, the console, curl; reset links in emails go to PUBLIC_URL',
    '                                  │ HTTP',
    '  ┌───────────────────────────────▼────────────────────────────────────┐',
    `  │ ${`${apis}   node dist/src/api/server.js`.padEnd(66)} │`,
    '  └─────┬───────────────────────────────────────┬──────────────────────┘',
    '        │ SQL                                   │ gRPC: start, update, query',
    '        │                     ┌─────────────────▼──────────────────────┐',
    `        │                     │ ${`Temporal server :${p.temporal}`.padEnd(38)} │`,
    '        │                     │ frontend · history · matching · worker │',
    '        │                     └───┬─────────────────▲──────────────────┘',
    '        │                   SQL   │                 │ gRPC: poll, complete',
    '        │                         │   ┌─────────────┴──────────────────────────────┐',
    `        │                         │   │ ${`${workers}   node dist/worker.js`.padEnd(42)} │`,
    '        │                         │   └──┬───────────────────────────┬─────────────┘',
    '        │      ┌──────────────────┘      │ SQL                       │ Postmark API',
    '  ┌─────▼──────▼─────────────────────────▼─────┐      ┌──────────────▼─────────────┐',
    pg(`PostgreSQL :${p.postgres}`, `mail sink :${p.mailSink}`),
    pg('resetflow · temporal · temporal_visibility', 'Postmark-compatible, local'),
    '  └────────────────────────────────────────────┘      └────────────────────────────┘',
  ].join('\n');
}
