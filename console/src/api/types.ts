/**
 * The shapes of the admin API, taken from the typed client generated from its
 * OpenAPI document (clients/typescript/schema.d.ts), by operationId.
 */
import type { ResponseBody } from '@resetflow/client';

export type User = ResponseBody<'getUser'>;
export type UserList = ResponseBody<'listUsers'>;
export type Tenant = ResponseBody<'getTenant'>;
export type TenantList = ResponseBody<'listTenants'>;
export type TenantSettings = Tenant['settings'];
export type PasswordPolicy = TenantSettings['passwordPolicy'];
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
