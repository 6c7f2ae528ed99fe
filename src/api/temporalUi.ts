import type { HttpDeps } from './deps';

/** A link to a workflow in the Temporal Web UI (TEMPORAL_UI_URL), for operators. */
export function workflowUiUrl(deps: Pick<HttpDeps, 'temporal' | 'temporalUiUrl'>, workflowId: string, runId?: string | null): string {
  const ns = encodeURIComponent(deps.temporal.options.namespace);
  return `${deps.temporalUiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${runId}` : ''}/history`;
}
