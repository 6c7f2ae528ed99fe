import { z } from 'zod';
import { bulkStatusSchema } from '../contract/workflowInputs';
import { IMPORT_LINE_CODES, USER_IMPORT_STATES } from '../contract/userImport';
import { tenantIdSchema, uuidSchema as id } from '../contract/ids';
import { AUDIT_ACTIONS, AUDIT_CATALOGUE, SYSTEM_ACTOR_IDS, type AuditAction } from '../contract/audit';
import { devMailSchema } from '../contract/devMailbox';
import { changeRequiredSchema, emailTemplateNameSchema, localeSchema, DELIVERY_STATES, deliveryStateSchema, resetStateSchema, STATELESS_POLICY_RULES } from '../contract/vocabulary';
import { cronProblem, timezoneProblem } from '../domain/cron';
import { displayTextProblem } from '../domain/displayText';
import { approvalSettingsSchema, brandingSchema, passwordPolicySchema, tenantSettingsSchema } from '../domain/tenantSettings';

/** Request and response shapes of api.md. Request bodies are strict: an unknown field is a 400. */

export { tenantIdSchema };
/** Long enough for any policy (maxLength is at most 1024 code points); longer is a 400, not a 422. */
const passwordInput = z.string().min(1).max(4096);
const opaqueToken = z.string().min(1).max(512);

export const tenantParams = z.object({ tenantId: tenantIdSchema });
export const userParams = z.object({ tenantId: tenantIdSchema, userId: id });
export const sessionParams = z.object({ tenantId: tenantIdSchema, userId: id, sessionId: id });
export const resetParams = z.object({ tenantId: tenantIdSchema, resetId: id });

/** Text shown to people: trimmed, bounded, no control or bidi-override characters. */
export const displayText = (max: number) =>
  z.string().trim().min(1).max(max).superRefine((s, ctx) => {
    const problem = displayTextProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An instant PostgreSQL, JavaScript and Temporal all represent: ISO 8601 with a zone, years 1900 to 9999. */
export const instantSchema = z.iso.datetime({ offset: true }).refine((s) => {
  const year = new Date(s).getUTCFullYear();
  return year >= 1900 && year <= 9999;
}, 'must be a date between the years 1900 and 9999');

/** A page size: plain decimal digits (`0x10` and `1e2` are not numbers here). */
const limitQuery = z.preprocess((v) => (typeof v === 'string' && /^[0-9]{1,6}$/.test(v) ? Number(v) : v), z.number().int().min(1).max(200));

/**
 * An ISO 8601 timestamp (with `Z` or an offset) or a date (midnight UTC), as PostgreSQL
 * can store it: a calendar date that does not exist (February 30th) is a 400.
 */
export const timestampQuery = z.union(
  [instantSchema, z.iso.date().refine((d) => Number(d.slice(0, 4)) >= 1900, 'must be a date between the years 1900 and 9999')],
  { error: 'must be an ISO 8601 timestamp (2024-05-01T09:00:00Z) or date (2024-05-01), years 1900 to 9999' },
);

/** A delivery of a reset email (api.md): `error` is kept from before `detail` existed. */
export const deliveryResponse = z.object({
  state: deliveryStateSchema,
  at: z.string().optional(),
  detail: z.string().optional(),
  /** Postmark's bounce type for bounces and complaints (HardBounce, SoftBounce, SpamComplaint…) */
  bounceType: z.string().optional(),
  error: z.string().optional(),
});

export const cursorQuery = {
  limit: limitQuery.default(50),
  cursor: z.string().max(500).optional(),
};

// ---------------------------------------------------------------- tenants

export const createTenantBody = z.strictObject({
  id: tenantIdSchema,
  name: displayText(200),
  settings: tenantSettingsSchema.prefault({}),
});

export const patchTenantBody = z.strictObject({
  name: displayText(200).optional(),
  settings: z
    .strictObject({
      resetLinkTtlSeconds: tenantSettingsSchema.shape.resetLinkTtlSeconds.unwrap().optional(),
      temporaryPasswordTtlSeconds: tenantSettingsSchema.shape.temporaryPasswordTtlSeconds.unwrap().optional(),
      passwordPolicy: passwordPolicySchema.partial().strict().optional(),
      breachedPasswordAtSignIn: tenantSettingsSchema.shape.breachedPasswordAtSignIn.unwrap().optional(),
      notifyPasswordChanged: tenantSettingsSchema.shape.notifyPasswordChanged.unwrap().optional(),
      approvals: approvalSettingsSchema.partial().strict().optional(),
      defaultLocale: tenantSettingsSchema.shape.defaultLocale.unwrap().optional(),
      /** a field sent as null is removed (back to resetflow's own) */
      branding: z
        .strictObject({
          productName: brandingSchema.shape.productName.unwrap().nullable().optional(),
          logoUrl: brandingSchema.shape.logoUrl.unwrap().nullable().optional(),
          primaryColor: brandingSchema.shape.primaryColor.unwrap().nullable().optional(),
          supportEmail: brandingSchema.shape.supportEmail.unwrap().nullable().optional(),
        })
        .optional(),
    })
    .optional(),
});

export const tenantResponse = z.object({
  id: z.string(),
  name: z.string(),
  settings: tenantSettingsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listTenantsQuery = z.object({ q: z.string().trim().max(200).optional(), ...cursorQuery });
export const tenantListResponse = z.object({ items: z.array(tenantResponse), nextCursor: z.string().nullable() });

export const createApiKeyBody = z.strictObject({ name: displayText(100) });
export const apiKeyResponse = z.object({ id: z.string(), name: z.string(), tenantId: z.string(), key: z.string() });
export const apiKeyParams = z.object({ tenantId: tenantIdSchema, keyId: id });
export const apiKeyListResponse = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().optional(), revokedAt: z.string().optional() })),
});

// ---------------------------------------------------------------- users

const federatedIdentity = z.strictObject({ provider: displayText(100), subject: z.string().trim().min(1).max(255) });

export const createUserBody = z
  .strictObject({
    email: z.email().max(254),
    displayName: displayText(200).nullable().optional(),
    password: passwordInput.optional(),
    /** a second admin approves this user's resets when the tenant's approvals cover privileged users */
    privileged: z.boolean().default(false),
    /** the language of the user's emails and pages (null: the tenant's defaultLocale) */
    locale: localeSchema.nullable().optional(),
    federatedIdentities: z.array(federatedIdentity).max(20).default([]),
  })
  .refine((u) => u.password !== undefined || u.federatedIdentities.length > 0, {
    message: 'a user needs a password or at least one federated identity',
    path: ['password'],
  });

export const patchUserBody = z.strictObject({
  displayName: displayText(200).nullable().optional(),
  privileged: z.boolean().optional(),
  locale: localeSchema.nullable().optional(),
});

export const listUsersQuery = z.object({ q: z.string().trim().max(200).optional(), ...cursorQuery });

const action = z.object({ enabled: z.boolean(), reason: z.string().optional() });
export const userResponse = z.object({
  id: z.string(),
  tenantId: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  privileged: z.boolean(),
  locale: z.string().nullable(),
  passwordIdentity: z
    .object({
      setAt: z.string(),
      temporary: z.boolean(),
      /** when a temporary password stops working at sign-in; null for any other password */
      expiresAt: z.string().nullable(),
      changeRequired: changeRequiredSchema.nullable(),
      /** set when the user reported a password change as not theirs: that password fails like a wrong one until a new one is set */
      lockedAt: z.string().nullable(),
      /** the algorithm of an imported hash that the first sign-in replaces with argon2id; null once it is argon2id */
      legacyHash: z.string().nullable(),
    })
    .nullable(),
  federatedIdentities: z.array(z.object({ provider: z.string(), subject: z.string() })),
  pendingPasswordReset: z.object({ resetId: z.string(), expiresAt: z.string(), delivery: deliveryResponse }).nullable(),
  actions: z.object({ sendPasswordResetEmail: action, setTemporaryPassword: action, forcePasswordReset: action, revokeSessions: action }),
  createdAt: z.string(),
});
export const userListResponse = z.object({ items: z.array(userResponse), nextCursor: z.string().nullable() });

export const passwordCheckBody = z.strictObject({ password: passwordInput });
export const passwordCheckResponse = z.object({
  violations: z.array(z.object({ rule: z.enum(STATELESS_POLICY_RULES), message: z.string() })),
  /** rules that need the stored password history: checked when the password is set, not here */
  checkedWhenSet: z.array(z.literal('reused')),
});

// ---------------------------------------------------------------- the three paths

export const resetEmailBody = z.strictObject({ revokeSessions: z.boolean().default(false) });
export const resetStartedResponse = z.object({ resetId: z.string(), workflowId: z.string(), expiresAt: z.string() });

export const temporaryPasswordBody = z.strictObject({
  password: passwordInput,
  mustResetOnNextSignIn: z.boolean().default(true),
  notifyUser: z.boolean().default(true),
  revokeSessions: z.boolean().default(false),
});
export const forceResetBody = z.strictObject({ revokeSessions: z.boolean().default(false) });
export const workflowRefResponse = z.object({ workflowId: z.string() });

export const resetStatusResponse = z.object({
  resetId: z.string(),
  userId: z.string(),
  state: resetStateSchema,
  expiresAt: z.string(),
  createdAt: z.string(),
  completedAt: z.string().optional(),
  endedAt: z.string().optional(),
  delivery: deliveryResponse,
  workflowId: z.string(),
  runId: z.string().nullable(),
  temporalUiUrl: z.string(),
});

const DELIVERY_STATE = `(${DELIVERY_STATES.join('|')})`;
const deliveryList = z
  .string()
  .max(200)
  .regex(new RegExp(`^${DELIVERY_STATE}(,${DELIVERY_STATE})*$`), `delivery states, comma-separated (${DELIVERY_STATES.join(', ')})`)
  .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(DELIVERY_STATES)).min(1));
export const resetListQuery = z.object({
  /** as of now: a pending link past its expiry is `expired` */
  state: resetStateSchema.optional(),
  userId: id.optional(),
  /** delivery states, comma-separated: `bounced,complained,failed` for the emails that did not arrive */
  delivery: deliveryList.optional(),
  ...cursorQuery,
});
export const resetListResponse = z.object({ items: z.array(resetStatusResponse), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------- sessions and audit

export const sessionListResponse = z.object({
  items: z.array(z.object({ id: z.string(), createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string(), userAgent: z.string().nullable(), ip: z.string().nullable() })),
});
export const revokedResponse = z.object({ revoked: z.number().int() });

export const auditQuery = z
  .object({
    userId: id.optional(),
    action: z.string().max(100).optional(),
    /** the actor's id: an API key's id, `platform`, a user's id, or a system actor (`mail-delivery`, `reset-link-expiry`…) */
    actorId: z.string().min(1).max(200).optional(),
    /** events at or after this time */
    from: timestampQuery.optional(),
    /** events before this time (a `to` before `from` matches nothing) */
    to: timestampQuery.optional(),
    ...cursorQuery,
  });
/** Who caused an event: an admin key, the user themself, or one of the catalogue's system actors. */
const auditActorResponse = z.union([
  z.object({ type: z.enum(['admin', 'user']), id: z.string(), name: z.string().optional() }),
  z.object({ type: z.literal('system'), id: z.enum(SYSTEM_ACTOR_IDS), name: z.string().optional() }),
]);

/** One variant per action of the audit catalogue (src/contract/audit.ts), each with its own `data`. */
function auditEventVariant<A extends AuditAction>(action: A) {
  const { description, data } = AUDIT_CATALOGUE[action];
  return z
    .object({
      id: z.string(),
      occurredAt: z.string(),
      action: z.literal(action),
      tenantId: z.string(),
      userId: z.string().nullable(),
      actor: auditActorResponse,
      data: data as (typeof AUDIT_CATALOGUE)[A]['data'],
      workflowId: z.string().optional(),
      runId: z.string().optional(),
    })
    .describe(description);
}
type AuditEventVariant = ReturnType<typeof auditEventVariant<AuditAction>>;

/** An audit event as GET audit-events (and every outbound webhook's `data`) shows it: a union discriminated on `action`. */
export const auditEventResponse = z
  .discriminatedUnion('action', AUDIT_ACTIONS.map((a) => auditEventVariant(a)) as [AuditEventVariant, ...AuditEventVariant[]])
  .meta({ id: 'AuditEvent' });
export const auditListResponse = z.object({ items: z.array(auditEventResponse), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------- mail provider webhooks

/** Postmark's timestamps: ISO 8601 with an offset and up to seven fractional digits (2014-08-01T13:28:10.2735393-04:00). */
const postmarkTime = z.iso.datetime({ offset: true });
const postmarkMetadata = z.record(z.string(), z.unknown()).optional();

/** Postmark's Delivery webhook (developer docs, "Delivery webhook"); fields it adds later are accepted. */
export const postmarkDeliveryWebhook = z.looseObject({
  RecordType: z.literal('Delivery'),
  MessageID: z.string().max(200),
  Recipient: z.string().max(320),
  DeliveredAt: postmarkTime,
  Details: z.string().max(10_000).optional(),
  Tag: z.string().max(1000).optional(),
  ServerID: z.number().optional(),
  MessageStream: z.string().max(200).optional(),
  Metadata: postmarkMetadata,
});

const bounceFields = {
  ID: z.number().optional(),
  Type: z.string().min(1).max(100),
  TypeCode: z.number().int(),
  Name: z.string().max(200).optional(),
  Tag: z.string().max(1000).optional(),
  MessageID: z.string().max(200),
  ServerID: z.number().optional(),
  MessageStream: z.string().max(200).optional(),
  Description: z.string().max(10_000).optional(),
  Details: z.string().max(10_000).optional(),
  Email: z.string().max(320),
  From: z.string().max(320).optional(),
  BouncedAt: postmarkTime,
  Inactive: z.boolean().optional(),
  Metadata: postmarkMetadata,
};
/** Postmark's Bounce webhook (developer docs, "Bounce webhook"). */
export const postmarkBounceWebhook = z.looseObject({ RecordType: z.literal('Bounce'), ...bounceFields });
/** Postmark's SpamComplaint webhook (developer docs, "Spam complaint webhook"). */
export const postmarkSpamComplaintWebhook = z.looseObject({ RecordType: z.literal('SpamComplaint'), ...bounceFields });

const HANDLED_RECORDS = ['Delivery', 'Bounce', 'SpamComplaint'];
/** Open, Click, SubscriptionChange…: accepted (200) and ignored, so Postmark does not retry them. */
const postmarkOtherWebhook = z.looseObject({
  RecordType: z.string().min(1).max(100).refine((t) => !HANDLED_RECORDS.includes(t), 'a Delivery, Bounce or SpamComplaint record is missing required fields'),
});
export const postmarkWebhookBody = z.union([postmarkDeliveryWebhook, postmarkBounceWebhook, postmarkSpamComplaintWebhook, postmarkOtherWebhook]);
export const postmarkWebhookResponse = z.object({
  /** `ignored`: not a reset email (or not a record resetflow acts on); `signalled`: handed to the link's workflow; `recorded`: stored on a finished link */
  outcome: z.enum(['ignored', 'signalled', 'recorded']),
});

// ---------------------------------------------------------------- end users

export const signInBody = z.strictObject({ tenant: tenantIdSchema, email: z.string().trim().min(1).max(254), password: passwordInput });
const sessionObject = z.object({ id: z.string(), token: z.string(), expiresAt: z.string() });
export const signInResponse = z.discriminatedUnion('result', [
  z.object({ result: z.literal('signed_in'), session: sessionObject }),
  z.object({
    result: z.literal('password_change_required'),
    reason: changeRequiredSchema,
    changeToken: z.string(),
    expiresAt: z.string(),
  }),
]);
export const passwordChangeBody = z.strictObject({ changeToken: opaqueToken, newPassword: passwordInput });
export const signedInResponse = z.object({ result: z.literal('signed_in'), session: sessionObject });
export const passwordResetBody = z.strictObject({ token: opaqueToken, newPassword: passwordInput });
export const passwordResetResponse = z.object({ result: z.literal('password_reset') });
export const resetRequestBody = z.strictObject({ tenant: tenantIdSchema, email: z.string().trim().min(1).max(254) });
export const sessionInfoResponse = z.object({ sessionId: z.string(), userId: z.string(), tenantId: z.string() });

// ---------------------------------------------------------------- rotation and bulk forced resets

export const operationParams = z.object({ tenantId: tenantIdSchema, operationId: id });

export const rotationBody = z
  .strictObject({
    cron: z.string().trim().min(1).max(100),
    timezone: z.string().trim().min(1).max(64).default('UTC'),
    maxPasswordAgeDays: z.number().int().min(1).max(3650),
    /** pause or resume the schedule; unchanged when omitted */
    paused: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    const tz = timezoneProblem(b.timezone);
    if (tz) ctx.addIssue({ code: 'custom', path: ['timezone'], message: tz });
    const cron = tz ? undefined : cronProblem(b.cron, b.timezone);
    if (cron) ctx.addIssue({ code: 'custom', path: ['cron'], message: cron });
  });

export const bulkStatusResponse = bulkStatusSchema.extend({ temporalUiUrl: z.string() });

export const rotationResponse = z.object({
  scheduleId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  maxPasswordAgeDays: z.number().int(),
  paused: z.boolean(),
  nextRunTimes: z.array(z.string()),
  lastRun: bulkStatusResponse.optional(),
});

export const operationStartedResponse = z.object({ operationId: z.string(), workflowId: z.string() });

export const bulkForceResetBody = z.strictObject({
  filter: z
    .strictObject({ passwordSetBefore: instantSchema.optional(), all: z.literal(true).optional() })
    .refine((f) => (f.passwordSetBefore === undefined) !== (f.all === undefined), {
      message: 'give exactly one of passwordSetBefore (an ISO date) or all: true',
    }),
  revokeSessions: z.boolean().default(false),
});

// ---------------------------------------------------------------- the console

export const adminKeyResponse = z.object({
  scope: z.enum(['platform', 'tenant']),
  tenantId: z.string().nullable(),
  id: z.string(),
  name: z.string().nullable(),
});
export const consoleConfigResponse = z.object({ temporalUiUrl: z.string(), namespace: z.string() });

// ---------------------------------------------------------------- operations and development

export const healthResponse = z.object({ status: z.literal('ok') });

export const devMailboxQuery = z.object({ to: z.string().trim().min(1).max(320).optional() });
export const devMailboxResponse = z.object({ items: z.array(devMailSchema) });

// ---------------------------------------------------------------- languages and email templates

export const emailTemplateParams = z.object({ tenantId: tenantIdSchema, name: emailTemplateNameSchema, locale: localeSchema });
const templateSubject = z.string().min(1).max(300);
// the whole body is at most 64 KiB, as for every route (413 beyond): these bounds fit in it in ASCII
const templateText = z.string().min(1).max(16_000);
const templateHtml = z.string().min(1).max(48_000);
export const putEmailTemplateBody = z.strictObject({ subject: templateSubject, textBody: templateText, htmlBody: templateHtml });
export const previewEmailTemplateBody = z.strictObject({ subject: templateSubject.optional(), textBody: templateText.optional(), htmlBody: templateHtml.optional() });
export const emailTemplateResponse = z
  .object({ name: emailTemplateNameSchema, locale: localeSchema, subject: z.string(), textBody: z.string(), htmlBody: z.string(), custom: z.boolean() })
  .meta({ id: 'EmailTemplate' });
export const emailTemplateListResponse = z.object({ items: z.array(emailTemplateResponse) });
export const renderedEmailResponse = z.object({ subject: z.string(), textBody: z.string(), htmlBody: z.string() });

// ---------------------------------------------------------------- user import

export const userImportParams = z.object({ tenantId: tenantIdSchema, importId: id });
export const userImportStartedResponse = z.object({ importId: z.string(), workflowId: z.string() });
export const userImportResponse = z.object({
  importId: z.string(),
  state: z.enum(USER_IMPORT_STATES),
  lines: z.number().int(),
  created: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), code: z.enum(IMPORT_LINE_CODES), detail: z.string() })).describe('the first 1,000 bad lines, by line number'),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  workflowId: z.string(),
  temporalUiUrl: z.string(),
});
/** One line of the NDJSON file (documentation: the route reads the file as a stream). */
export const userImportLineDoc = z.string().describe(
  'application/x-ndjson, one JSON object a line: { email, displayName?, passwordHash?, privileged?, locale?, federatedIdentities?, externalId? }; up to 100 MiB',
);
export const passwordHashesResponse = z.object({
  items: z.array(z.object({ algorithm: z.string(), users: z.number().int() })).describe('imported hashes not yet replaced by argon2id, by kind'),
  argon2idUsers: z.number().int().describe('password users holding resetflow’s own argon2id'),
});

// ---------------------------------------------------------------- approvals (a second admin)

/** A reset held for a second admin: each of the three paths answers this (202) when the tenant's approvals cover the user. */
export const approvalHeldResponse = z
  .object({ approvalId: z.string(), state: z.literal('pending'), expiresAt: z.string(), workflowId: z.string() })
  .meta({ id: 'ApprovalHeld' });
export const resetEmailStartedOrHeldResponse = z.union([resetStartedResponse, approvalHeldResponse]);

export const approvalStateSchema = z.enum(['pending', 'approved', 'rejected', 'expired']);
export const approvalParams = z.object({ tenantId: tenantIdSchema, approvalId: id });
export const approvalListQuery = z.object({
  /** as of now: a pending approval past its expiry is `expired` */
  state: approvalStateSchema.optional(),
  userId: id.optional(),
  ...cursorQuery,
});
export const approveBody = z.strictObject({});
export const rejectBody = z.strictObject({ reason: displayText(1000).optional() });

export const approvalResponse = z
  .object({
    approvalId: z.string(),
    userId: z.string(),
    action: z.enum(['password_reset_email', 'temporary_password', 'force_password_reset']),
    /** as of now: a pending approval past its expiry is `expired` */
    state: approvalStateSchema,
    requestedBy: auditActorResponse,
    decidedBy: auditActorResponse.optional(),
    requestedAt: z.string(),
    decidedAt: z.string().optional(),
    expiresAt: z.string(),
    reason: z.string().optional(),
    workflowId: z.string(),
    /** the held request's options (never the password) */
    options: z.object({ revokeSessions: z.boolean(), mustResetOnNextSignIn: z.boolean().optional(), notifyUser: z.boolean().optional() }),
    /** approved: the workflow of the action it applied */
    appliedWorkflowId: z.string().optional(),
    temporalUiUrl: z.string().optional(),
  })
  .meta({ id: 'Approval' });
export const approvalListResponse = z.object({ items: z.array(approvalResponse), nextCursor: z.string().nullable() });
/** "This wasn't me" (api.md, Password change notices). */
export const passwordChangeReportBody = z.strictObject({ token: opaqueToken });
export const passwordChangeReportResponse = z.object({ result: z.literal('password_locked') });

// ---------------------------------------------------------------- outbound webhooks

export const webhookEndpointParams = z.object({ tenantId: tenantIdSchema, endpointId: id });
export const webhookDeliveryParams = z.object({ tenantId: tenantIdSchema, endpointId: id, deliveryId: id });
const webhookUrl = z.string().trim().min(1).max(2048).describe('https://, or http:// to a loopback address when WEBHOOK_ALLOW_LOOPBACK=true; its host must resolve to public addresses only');
const webhookEventTypes = z.array(z.enum(AUDIT_ACTIONS)).max(AUDIT_ACTIONS.length * 2).describe('the audit actions to deliver; every action (also ones added later) when left out');

export const createWebhookEndpointBody = z.strictObject({
  url: webhookUrl,
  description: z.string().trim().max(500).optional(),
  eventTypes: webhookEventTypes.optional(),
  enabled: z.boolean().default(true),
});
export const updateWebhookEndpointBody = z.strictObject({
  url: webhookUrl.optional(),
  description: z.string().trim().max(500).optional(),
  eventTypes: webhookEventTypes.optional(),
  enabled: z.boolean().optional(),
});

export const webhookEndpointResponse = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.enum(AUDIT_ACTIONS)),
    allEventTypes: z.boolean().describe('true when created without a list: actions added to the catalogue later are delivered too'),
    enabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    disabledReason: z.string().optional().describe('why delivery disabled the endpoint (410 Gone, or 5 days of failures)'),
    previousSecretExpiresAt: z.string().optional().describe('after a rotation: until when the previous secret also signs'),
  })
  .meta({ id: 'WebhookEndpoint' });
export const createdWebhookEndpointResponse = webhookEndpointResponse
  .extend({ secret: z.string().describe('whsec_ + base64 of 32 random bytes; shown once, stored sealed') })
  .meta({ id: 'CreatedWebhookEndpoint' });
export const webhookEndpointListResponse = z.object({ items: z.array(webhookEndpointResponse) });
export const webhookSecretResponse = z.object({ secret: z.string(), previousSecretExpiresAt: z.string() });
export const webhookTestResponse = z.object({ deliveryId: z.string(), eventId: z.string() });

export const webhookDeliveryResponse = z
  .object({
    id: z.string(),
    eventId: z.string().describe('the webhook-id header: the same on every attempt'),
    eventType: z.string(),
    state: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    lastAttemptAt: z.string().optional(),
    lastStatus: z.number().int().optional(),
    lastError: z.string().optional(),
    nextAttemptAt: z.string().optional(),
    createdAt: z.string(),
    workflowId: z.string(),
    temporalUiUrl: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
export const webhookDeliveryListQuery = z.object({
  state: z.enum(['pending', 'succeeded', 'failed']).optional(),
  ...cursorQuery,
});
export const webhookDeliveryListResponse = z.object({ items: z.array(webhookDeliveryResponse), nextCursor: z.string().nullable() });
