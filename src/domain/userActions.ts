/** What the console's Actions menu may offer for a user (api.md: `actions`). */
export interface Action {
  enabled: boolean;
  reason?: string;
}

export interface UserActions {
  sendPasswordResetEmail: Action;
  setTemporaryPassword: Action;
  forcePasswordReset: Action;
  revokeSessions: Action;
}

/**
 * The three reset paths need a password identity; revoking sessions works for every user.
 * A password locked by a "this wasn't me" report (`locked`) cannot sign in, so forcing a change
 * at the next sign-in cannot end the lock: that action is off (`password_locked`), and the ways
 * out, a new reset email and a temporary password, stay on.
 */
export function userActions(hasPassword: boolean, locked = false): UserActions {
  const reset: Action = hasPassword ? { enabled: true } : { enabled: false, reason: 'no_password_identity' };
  const force: Action = hasPassword && locked ? { enabled: false, reason: 'password_locked' } : reset;
  return { sendPasswordResetEmail: reset, setTemporaryPassword: reset, forcePasswordReset: force, revokeSessions: { enabled: true } };
}
