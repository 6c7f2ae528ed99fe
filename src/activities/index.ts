import { bulkResetActivities } from './bulkResets';
import type { ActivityDeps } from './deps';
import { forcedResetActivities } from './forcedResets';
import { mailActivities } from './mail';
import { passwordWriteActivities } from './passwordWrites';
import { resetLinkActivities } from './resetLinks';
import { sessionActivities } from './sessions';

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
  };
}

export type Activities = ReturnType<typeof createActivities>;
