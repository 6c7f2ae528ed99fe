/**
 * The shapes of the admin API, taken (types only, nothing bundled) from the
 * zod schemas the server validates and documents with (src/http/schemas.ts).
 */
import type { z } from 'zod';
import type * as s from '../../../src/http/schemas';

export type User = z.infer<typeof s.userResponse>;
export type UserList = z.infer<typeof s.userListResponse>;
export type Tenant = z.infer<typeof s.tenantResponse>;
export type TenantList = z.infer<typeof s.tenantListResponse>;
export type TenantSettings = Tenant['settings'];
export type PasswordPolicy = TenantSettings['passwordPolicy'];
export type AdminKey = z.infer<typeof s.adminKeyResponse>;
export type ConsoleConfig = z.infer<typeof s.consoleConfigResponse>;
export type PasswordCheck = z.infer<typeof s.passwordCheckResponse>;
export type ResetStarted = z.infer<typeof s.resetStartedResponse>;
export type SessionList = z.infer<typeof s.sessionListResponse>;
export type UserSession = SessionList['items'][number];
export type AuditList = z.infer<typeof s.auditListResponse>;
export type AuditEvent = AuditList['items'][number];
export type ChangeRequired = NonNullable<NonNullable<User['passwordIdentity']>['changeRequired']>;

export type RotationSchedule = z.infer<typeof s.rotationResponse>;
/** A rotation run or a bulk forced reset (GET/DELETE /admin/tenants/{t}/bulk-operations/{operationId}). */
export type BulkStatus = z.infer<typeof s.bulkStatusResponse>;
export type OperationStarted = z.infer<typeof s.operationStartedResponse>;

export type ResetStatus = z.infer<typeof s.resetStatusResponse>;
export type ResetList = z.infer<typeof s.resetListResponse>;
export type ResetState = ResetStatus['state'];
/** Where a reset email stands with the mail provider: `{ state, at?, detail?, bounceType?, error? }`. */
export type Delivery = ResetStatus['delivery'];
export type ApiKeyList = z.infer<typeof s.apiKeyListResponse>;
