import { freshPassword, INITIAL_PASSWORD, UserQueue, type BenchUser } from './fixtures';
import type { HttpClient } from './httpClient';

/**
 * One request of each path, as the load generator sends it. Paths that change a
 * password or a flag take a fresh user each time (from `users`), so every request
 * does the same work: one history entry to check, no lock contention.
 */
export const pathRequests = {
  /** path 2, with the defaults: must reset on next sign-in, notify by email */
  temporaryPassword: (http: HttpClient, tenant: string, users: UserQueue) => async () => {
    const u = users.take();
    await http.request('POST', `/admin/tenants/${tenant}/users/${u.id}/temporary-password`, { body: { password: freshPassword() }, expect: 200 });
  },

  /** path 1 start: answered once the link is stored; the email follows */
  resetEmail: (http: HttpClient, tenant: string, users: UserQueue) => async () => {
    const u = users.take();
    await http.request('POST', `/admin/tenants/${tenant}/users/${u.id}/password-reset-email`, { body: {}, expect: 202 });
  },

  /** path 3: answered when its workflow completes */
  forceReset: (http: HttpClient, tenant: string, users: UserQueue) => async () => {
    const u = users.take();
    await http.request('POST', `/admin/tenants/${tenant}/users/${u.id}/force-password-reset`, { body: {}, expect: 200 });
  },

  /** sign-in with the right password: one argon2id verify and a new session (users are reused round robin) */
  signIn: (http: HttpClient, tenant: string, users: BenchUser[]) => {
    let next = 0;
    return async () => {
      const u = users[next++ % users.length]!;
      const body = await http.request<{ result: string }>('POST', '/auth/sign-in', { body: { tenant, email: u.email, password: INITIAL_PASSWORD }, auth: null, expect: 200 });
      if (body.result !== 'signed_in') throw new Error(`sign-in answered ${body.result}`);
    };
  },
};
