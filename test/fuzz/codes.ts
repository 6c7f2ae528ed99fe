/**
 * The problem `code`s of the HTTP contract (docs/api.md, the copy of the contract in this repository, "a stable
 * snake_case string named below"), plus whatever codes the OpenAPI document
 * names in the descriptions of its problem responses.
 */
export const API_MD_CODES = [
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'email_taken',
  'identity_taken',
  'tenant_exists',
  'no_password_identity',
  'password_policy',
  'invalid_credentials',
  'temporary_password_expired',
  'invalid_token',
  'link_expired',
  'link_used',
  'token_used',
  'token_expired',
  'rate_limited',
  'unsupported_media_type',
  'idempotency_key_reused',
  'temporarily_unavailable',
  'template_invalid',
  'conflict',
  'webhook_url_forbidden',
  'approver_is_requester',
  'approval_decided',
  'approval_pending',
  // docs/webhooks.md: only a failed delivery can be retried
  'webhook_delivery_not_failed',
] as const;

export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * snake_case words with at least one underscore in the descriptions of 4xx
 * (and 503) problem responses: "409: conflict: email_taken, identity_taken, …".
 * A 500's description ("internal_error") names no code a client may rely on.
 */
export function codesFromOpenApi(openapi: unknown): string[] {
  const found = new Set<string>();
  const paths = (openapi as { paths?: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: Record<string, unknown> }> }>> }).paths ?? {};
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) {
      for (const [status, r] of Object.entries(op?.responses ?? {})) {
        const s = Number(status);
        if (!(s >= 400 && s < 500) && s !== 503) continue;
        if (!r?.content || !Object.keys(r.content).some((c) => c.includes('problem'))) continue;
        for (const m of (r.description ?? '').matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g)) found.add(m[0]);
      }
    }
  }
  return [...found];
}

/** Every code a problem document of this service may carry. */
export function documentedCodes(openapi: unknown): Set<string> {
  return new Set<string>([...API_MD_CODES, ...codesFromOpenApi(openapi)]);
}
