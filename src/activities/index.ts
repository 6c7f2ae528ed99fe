import { bulkResetActivities } from './bulkResets';
import type { ActivityDeps } from './deps';
import { forcedResetActivities } from './forcedResets';
import { mailActivities } from './mail';
import { passwordWriteActivities } from './passwordWrites';
import { resetLinkActivities } from './resetLinks';
import { sessionActivities } from './sessions';
import { temporaryPasswordActivities } from './temporaryPasswords';

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
  };
}

export type Activities = ReturnType<typeof createActivities>;
