import { approvalActivities } from './approvals';
import { bulkResetActivities } from './bulkResets';
import type { ActivityDeps } from './deps';
import { forcedResetActivities } from './forcedResets';
import { mailActivities } from './mail';
import { passwordChangeReportActivities } from './passwordChangeReports';
import { passwordWriteActivities } from './passwordWrites';
import { resetLinkActivities } from './resetLinks';
import { sessionActivities } from './sessions';
import { temporaryPasswordActivities } from './temporaryPasswords';
import { userImportActivities } from './userImports';
import { webhookActivities } from './webhooks';

export type { ActivityDeps } from './deps';

/** Every activity, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...passwordWriteActivities(deps),
    ...resetLinkActivities(deps),
    ...forcedResetActivities(deps),
    ...sessionActivities(deps),
    ...mailActivities(deps),
    ...bulkResetActivities(deps),
    ...temporaryPasswordActivities(deps),
    ...userImportActivities(deps),
    ...approvalActivities(deps),
    ...passwordChangeReportActivities(deps),
    ...webhookActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
