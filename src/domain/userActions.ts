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

/** The three reset paths need a password identity; revoking sessions works for every user. */
export function userActions(hasPassword: boolean): UserActions {
  const reset: Action = hasPassword ? { enabled: true } : { enabled: false, reason: 'no_password_identity' };
  return { sendPasswordResetEmail: reset, setTemporaryPassword: reset, forcePasswordReset: reset, revokeSessions: { enabled: true } };
}
