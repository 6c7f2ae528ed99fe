import type { Scenario } from '../scenario';
import { argon2Params } from './argon2Params';
import { breachLookup } from './breachLookup';
import { completeReset } from './completeReset';
import { emailRendering } from './emailRendering';
import { floors } from './floors';
import { forceReset } from './forceReset';
import { passwordChangedNotice } from './passwordChangedNotice';
import { pendingLinks } from './pendingLinks';
import { resetEmail } from './resetEmail';
import { rotation } from './rotation';
import { settings } from './settings';
import { signIn } from './signIn';
import { temporalPragmas } from './temporalPragmas';
import { temporaryPassword } from './temporaryPassword';
import { userImport } from './userImport';
import { webhookDelivery } from './webhookDelivery';
import { workerStartup } from './workerStartup';

/**
 * Every scenario, in the order a full run takes them (floors first). A new
 * scenario is one file in this folder and one entry here.
 */
export const SCENARIOS: readonly Scenario[] = [
  floors,
  argon2Params,
  temporaryPassword,
  resetEmail,
  completeReset,
  passwordChangedNotice,
  forceReset,
  signIn,
  pendingLinks,
  settings,
  temporalPragmas,
  workerStartup,
  rotation,
  userImport,
  emailRendering,
  breachLookup,
  webhookDelivery,
];
