import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
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
 * The SDK's gRPC retries, made safe to close under. Its retry interceptor waits for each retry on a
 * timer that, if the connection was closed meanwhile, throws "Channel has been shut down" out of the
 * timer: an uncaught exception in whatever runs then (seen in CI, in a test file that ran after one
 * whose call was still retrying). `beforeClose()` stops new retries and waits out the ones scheduled
 * (at most the SDK's longest back-off, about 6 s); the retry then ends as its call's failure.
 */
export function closableRetries(): { interceptor: ReturnType<typeof makeGrpcRetryInterceptor>; scheduled: () => number; beforeClose: () => Promise<void> } {
  const defaults = defaultGrpcRetryOptions();
  let closing = false;
  let scheduled = 0;
  let lastRetryAt = 0;
  const interceptor = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && defaults.retryableDecider(attempt, status),
    delayFunction: (attempt, status) => {
      const ms = defaults.delayFunction(attempt, status);
      scheduled++;
      lastRetryAt = Math.max(lastRetryAt, Date.now() + ms);
      return ms;
    },
  });
  return {
    interceptor,
    scheduled: () => scheduled,
    async beforeClose() {
      closing = true;
      const wait = lastRetryAt - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 20));
    },
  };
}

/**
 * A Temporal client. `lazy`: connect on first use, so a process starts (and answers 503)
 * while Temporal is still down, and carries on once it is back. When the process traces,
 * starts, updates and signals carry the request's trace into the workflow. Its connection's
 * close() first waits out scheduled gRPC retries (closableRetries).
 */
export async function connectClient(target: TemporalTarget, o: { lazy?: boolean; retries?: ReturnType<typeof closableRetries> } = {}): Promise<Client> {
  const retries = o.retries ?? closableRetries();
  const options = { ...target.connectionOptions, interceptors: [retries.interceptor] };
  const connection = o.lazy ? Connection.lazy(options) : await Connection.connect(options);
  const close = connection.close.bind(connection);
  connection.close = async () => {
    await retries.beforeClose();
    await close();
  };
  const tracing = clientTracingInterceptors();
  return new Client({ connection, namespace: target.namespace, ...(tracing.length ? { interceptors: { workflow: tracing } } : {}) });
}
