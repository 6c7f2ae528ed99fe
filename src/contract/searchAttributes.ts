import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The Keyword search attributes resetflow's workflows carry, for the Temporal Web UI's search box. */
export const searchAttributes = {
  tenantId: defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD),
  userId: defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD),
  resetPath: defineSearchAttributeKey('ResetPath', SearchAttributeType.KEYWORD),
  resetId: defineSearchAttributeKey('ResetId', SearchAttributeType.KEYWORD),
  resetState: defineSearchAttributeKey('ResetState', SearchAttributeType.KEYWORD),
  operationId: defineSearchAttributeKey('OperationId', SearchAttributeType.KEYWORD),
  /** a reset held for a second admin: its approval's id, and pending, approved, rejected or expired */
  approvalId: defineSearchAttributeKey('ApprovalId', SearchAttributeType.KEYWORD),
  approvalState: defineSearchAttributeKey('ApprovalState', SearchAttributeType.KEYWORD),
  webhookEndpointId: defineSearchAttributeKey('WebhookEndpointId', SearchAttributeType.KEYWORD),
  eventType: defineSearchAttributeKey('EventType', SearchAttributeType.KEYWORD),
} as const;

/** Registered at start-up (dev server flags, or the operator API on a cluster). */
export const SEARCH_ATTRIBUTE_NAMES = Object.values(searchAttributes).map((k) => k.name);
