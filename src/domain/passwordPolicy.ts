import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import type { PolicyFailure, PolicyViolation } from '../contract/vocabulary';
import type { PasswordPolicy } from './tenantSettings';

/**
 * Every password is NFKC-normalised before it is measured, hashed or verified,
 * so the same characters typed on different keyboards give the same password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** What the password must not contain when `forbidPersonalInfo` is on. */
export interface PersonalContext {
  email: string;
  displayName: string | null;
  tenantId: string;
  tenantName: string;
}

/**
 * The common-password dictionary (about 50,000 entries from breach corpora) and
 * the pattern matchers of zxcvbn-ts. Built once per process on first use.
 */
let estimator: ZxcvbnFactory | undefined;
function guessability(password: string): number {
  // at most 10 l33t substitutions are tried per word (zxcvbn-ts tries 100): the same verdicts on
  // common l33t spellings, at a third of the CPU (docs/performance.md)
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, l33tMaxSubstitutions: 10 });
  return estimator.check(password).guesses;
}

/**
 * Fewer than 10^8 estimated guesses: a listed common password, a dictionary word
 * with digits appended, a keyboard walk, a repetition or a sequence. Online
 * attacks are rate-limited, so this is the bar OWASP and NIST set for blocklists.
 */
const MIN_GUESSES = 1e8;

/** Length in Unicode code points after NFKC normalisation, as NIST SP 800-63B counts it. */
export function passwordLength(password: string): number {
  return [...normalizePassword(password)].length;
}

function personalWords(ctx: PersonalContext): string[] {
  const local = ctx.email.split('@')[0] ?? '';
  const words = [local, ...local.split(/[._+-]+/), ctx.tenantId, ...ctx.tenantId.split('-'), ctx.tenantName,
    ...ctx.tenantName.split(/\s+/), ...(ctx.displayName ? [ctx.displayName, ...ctx.displayName.split(/\s+/)] : [])];
  return [...new Set(words.map((w) => normalizePassword(w).toLowerCase().trim()))].filter((w) => [...w].length >= 4);
}

/**
 * Every rule that needs no stored hash. Password reuse (`historyCount`) needs the
 * user's previous hashes and is checked where they are read, in the activity that
 * writes the password.
 */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy, ctx: PersonalContext): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < policy.minLength) {
    violations.push({ rule: 'min_length', message: `Use at least ${policy.minLength} characters (this has ${length}).` });
  }
  if (length > policy.maxLength) {
    violations.push({ rule: 'max_length', message: `Use at most ${policy.maxLength} characters (this has ${length}).` });
  }
  const lower = normalized.toLowerCase();
  if (policy.forbidPersonalInfo && personalWords(ctx).some((w) => lower.includes(w))) {
    violations.push({
      rule: 'personal_info',
      message: 'Do not use your email address, your name or the organisation name in the password.',
    });
  }
  if (policy.blockCommonPasswords && length <= policy.maxLength && guessability(normalized) < MIN_GUESSES) {
    violations.push({
      rule: 'common_password',
      message: 'This password is too common or too easy to guess (a known password, a word with digits, a keyboard pattern or a repetition). A few unrelated words make a strong one.',
    });
  }
  return violations;
}

/** The whole stateless policy of a tenant, for one user: what every path that sets a password checks first. */
export function checkPasswordFor(
  password: string,
  tenant: { id: string; name: string; settings: { passwordPolicy: PasswordPolicy } },
  user: { email: string; displayName: string | null },
): PolicyViolation[] {
  return checkPasswordPolicy(password, tenant.settings.passwordPolicy, {
    email: user.email,
    displayName: user.displayName,
    tenantId: tenant.id,
    tenantName: tenant.name,
  });
}

export function reuseViolation(historyCount: number): PolicyViolation {
  return { rule: 'reused', message: `Choose a password you have not used for your last ${historyCount} passwords.` };
}

/** The violations as a service result: undefined when the password passes. */
export function policyFailure(violations: PolicyViolation[]): PolicyFailure | undefined {
  return violations.length > 0 ? { ok: false, code: 'password_policy', violations } : undefined;
}

/** The rule `breached`: the password was found by a Pwned Passwords range lookup (src/security/breachedPasswords.ts). */
export function breachedViolation(): PolicyViolation {
  return { rule: 'breached', message: 'This password has appeared in a data breach, so attackers try it first. Choose another one.' };
}
