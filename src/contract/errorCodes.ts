/**
 * The stable `code` of every problem document the HTTP edge answers with
 * (api.md), and the failures services return: clients switch on these.
 */
export const ERROR_CODES = [
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
  'idempotency_key_in_use',
  'secret_not_replayed',
  'temporarily_unavailable',
  'template_invalid',
  'internal_error',
  'approver_is_requester',
  'approval_decided',
  'approval_pending',
  'webhook_url_forbidden',
  'webhook_delivery_not_failed',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
