/**
 * The shapes of the admin API, taken from the typed client generated from its
 * OpenAPI document (clients/typescript/schema.d.ts), by operationId.
 */
import type { RequestBody, ResponseBody } from '@resetflow/client';

export type User = ResponseBody<'getUser'>;
export type UserList = ResponseBody<'listUsers'>;
export type Tenant = ResponseBody<'getTenant'>;
export type TenantList = ResponseBody<'listTenants'>;
export type TenantSettings = Tenant['settings'];
export type PasswordPolicy = TenantSettings['passwordPolicy'];
/** What PATCH /admin/tenants/{t} takes as settings: each field optional, objects merged. */
export type SettingsPatch = NonNullable<RequestBody<'updateTenant'>['settings']>;
export type AdminKey = ResponseBody<'getAdminKey'>;
export type ConsoleConfig = ResponseBody<'getConsoleConfig'>;
export type PasswordCheck = ResponseBody<'checkPassword'>;
export type ResetStarted = ResponseBody<'sendPasswordResetEmail', 202>;
export type SessionList = ResponseBody<'listSessions'>;
export type UserSession = SessionList['items'][number];
export type AuditList = ResponseBody<'listAuditEvents'>;
export type AuditEvent = AuditList['items'][number];
export type ChangeRequired = NonNullable<NonNullable<User['passwordIdentity']>['changeRequired']>;

export type RotationSchedule = ResponseBody<'getPasswordRotation'>;
/** A rotation run or a bulk forced reset (GET/DELETE /admin/tenants/{t}/bulk-operations/{operationId}). */
export type BulkStatus = ResponseBody<'getBulkOperation'>;
export type OperationStarted = ResponseBody<'runPasswordRotation', 202>;

export type ResetStatus = ResponseBody<'getPasswordReset'>;
export type ResetList = ResponseBody<'listPasswordResets'>;
export type ResetState = ResetStatus['state'];
/** Where a reset email stands with the mail provider: `{ state, at?, detail?, bounceType?, error? }`. */
export type Delivery = ResetStatus['delivery'];
export type ApiKeyList = ResponseBody<'listApiKeys'>;

/** A reset held for a second admin (api.md, Approvals). */
export type Approval = ResponseBody<'getApproval'>;
export type ApprovalList = ResponseBody<'listApprovals'>;
export type ApprovalAction = Approval['action'];
