import type { Scenario } from '../scenario';
import { completeReset } from './completeReset';
import { floors } from './floors';
import { forceReset } from './forceReset';
import { resetEmail } from './resetEmail';
import { signIn } from './signIn';
import { temporalPragmas } from './temporalPragmas';
import { temporaryPassword } from './temporaryPassword';

/**
 * Every scenario, in the order a full run takes them (floors first). A new
 * scenario is one file in this folder and one entry here.
 */
export const SCENARIOS: readonly Scenario[] = [
  floors,
  temporaryPassword,
  resetEmail,
  completeReset,
  forceReset,
  signIn,
  temporalPragmas,
];
