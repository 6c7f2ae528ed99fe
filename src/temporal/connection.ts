import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { clientTracingInterceptors } from './tracing';

export interface TemporalTarget {
  connectionOptions: NativeConnectionOptions & { address: string };
  namespace: string;
}

/** The local dev server `npm start` runs when TEMPORAL_ADDRESS is unset. */
export const LOCAL_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/**
 * Where Temporal is, read the way every Temporal SDK reads it (@temporalio/envconfig):
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE
 * and the optional temporal.toml. Temporal Cloud, mTLS and API keys work by configuration alone.
 */
export function loadTemporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const overrideEnvVars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars });
  return {
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? LOCAL_TEMPORAL_ADDRESS },
    namespace: namespace ?? 'default',
  };
}

/**
 * A Temporal client. `lazy`: connect on first use, so a process starts (and answers 503)
 * while Temporal is still down, and carries on once it is back. When the process traces,
 * starts, updates and signals carry the request's trace into the workflow.
 */
export async function connectClient(target: TemporalTarget, o: { lazy?: boolean } = {}): Promise<Client> {
  const connection = o.lazy ? Connection.lazy(target.connectionOptions) : await Connection.connect(target.connectionOptions);
  const tracing = clientTracingInterceptors();
  return new Client({ connection, namespace: target.namespace, ...(tracing.length ? { interceptors: { workflow: tracing } } : {}) });
}
