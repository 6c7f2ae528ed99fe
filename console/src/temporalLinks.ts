import { createApiClient, ok } from './api/client';
import type { ConsoleConfig } from './api/types';

let config: Promise<ConsoleConfig> | undefined;

/** GET /console/config.json, once: where the Temporal Web UI is. */
export function consoleConfig(): Promise<ConsoleConfig> {
  config ??= ok(createApiClient(undefined).GET('/console/config.json')).catch((err: unknown) => {
    config = undefined;
    throw err;
  });
  return config;
}

/** A workflow's history in the Temporal Web UI. */
export function workflowUrl(c: ConsoleConfig, workflowId: string | undefined, runId?: string | null): string | undefined {
  if (!workflowId) return undefined;
  return `${c.temporalUiUrl}/namespaces/${encodeURIComponent(c.namespace)}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}` : ''}/history`;
}
