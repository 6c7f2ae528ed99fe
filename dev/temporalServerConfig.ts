/**
 * The static config and dynamic config of a single-process Temporal server (frontend, history,
 * matching and worker) on PostgreSQL, after upstream's config/development-postgres12.yaml with
 * every port configurable, archival off and no metrics or pprof listeners.
 */

export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';
export const TEMPORAL_SERVICES: readonly TemporalService[] = ['frontend', 'history', 'matching', 'worker'];

export interface ServicePorts {
  grpc: number;
  membership: number;
}

export interface SqlStore {
  /** host:port of PostgreSQL */
  connectAddr: string;
  user: string;
  password: string;
  databaseName: string;
  maxConns: number;
}

export interface TemporalServerConfigOptions {
  /** the address every service binds to and announces to the others */
  host: string;
  ports: Record<TemporalService, ServicePorts>;
  defaultStore: SqlStore;
  visibilityStore: SqlStore;
  numHistoryShards: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  dynamicConfigFile: string;
}

/** A YAML scalar: JSON strings are valid YAML double-quoted scalars. */
const q = (s: string): string => JSON.stringify(s);

function sqlStore(s: SqlStore): string {
  return `      sql:
        pluginName: "postgres12"
        databaseName: ${q(s.databaseName)}
        connectAddr: ${q(s.connectAddr)}
        connectProtocol: "tcp"
        user: ${q(s.user)}
        password: ${q(s.password)}
        maxConns: ${s.maxConns}
        maxIdleConns: ${s.maxConns}
        maxConnLifetime: "1h"`;
}

export function renderTemporalServerConfig(o: TemporalServerConfigOptions): string {
  const services = TEMPORAL_SERVICES.map((name) => `  ${name}:
    rpc:
      grpcPort: ${o.ports[name].grpc}
      membershipPort: ${o.ports[name].membership}
      bindOnIP: ${q(o.host)}`).join('\n');
  return `# Rendered by dev/temporalServerConfig.ts; rewritten at every start.
log:
  stdout: true
  level: ${q(o.logLevel)}

persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${o.numHistoryShards}
  datastores:
    default:
${sqlStore(o.defaultStore)}
    visibility:
${sqlStore(o.visibilityStore)}

global:
  membership:
    maxJoinDuration: "30s"
    broadcastAddress: ${q(o.host)}

services:
${services}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: ${q(`${o.host}:${o.ports.frontend.grpc}`)}

dcRedirectionPolicy:
  policy: "noop"

archival:
  history:
    state: "disabled"
  visibility:
    state: "disabled"

namespaceDefaults:
  archival:
    history:
      state: "disabled"
    visibility:
      state: "disabled"

dynamicConfigClient:
  filepath: ${q(o.dynamicConfigFile)}
  pollInterval: "10s"
`;
}

/**
 * What the CLI dev server changes from the defaults, so code that works there works here:
 * search attributes usable the moment they are registered (the cache is read through, so the
 * persistence rate limits go up with it), and a visibility rate that a console can list at.
 */
export const DEV_DYNAMIC_CONFIG: Record<string, boolean | number> = {
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'frontend.persistenceMaxQPS': 10000,
  'history.persistenceMaxQPS': 45000,
  'frontend.namespaceRPS.visibility': 100,
};

export function renderDynamicConfig(values: Record<string, boolean | number | string> = DEV_DYNAMIC_CONFIG): string {
  return Object.entries(values).map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n`).join('');
}
