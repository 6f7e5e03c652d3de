import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import type { PasswordProfile } from '../../config.js';

/** OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane). */
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolatedModules cannot import).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * A hash to verify against when the user does not exist, so that "no such user" and
 * "wrong password" take the same time.
 */
let dummyHash: Promise<string> | null = null;
export const timingDummyHash = (): Promise<string> => (dummyHash ??= hashPassword('gridcommand-timing-dummy'));

export interface PasswordPolicy {
  profile: PasswordProfile;
  /** dengbao: days until a password must be changed; asvs: none. */
  maxAgeDays: number | null;
  /** dengbao: how many previous passwords may not be reused. */
  historyDepth: number;
}

export const PASSWORD_POLICIES: Record<PasswordProfile, PasswordPolicy> = {
  dengbao: { profile: 'dengbao', maxAgeDays: 90, historyDepth: 5 },
  asvs: { profile: 'asvs', maxAgeDays: null, historyDepth: 0 },
};

export type PasswordProblem =
  | { code: 'too_short'; min: number }
  | { code: 'too_long'; max: number }
  | { code: 'too_few_classes'; need: number }
  | { code: 'common_password' }
  | { code: 'contains_username' };

/** What a new password needs under each profile (also shown as hints in the user form). */
export const PASSWORD_RULES: Record<PasswordProfile, { minLength: number; minClasses: number; refusesCommon: boolean }> = {
  dengbao: { minLength: 8, minClasses: 3, refusesCommon: false },
  asvs: { minLength: 12, minClasses: 0, refusesCommon: true },
};

let estimator: ZxcvbnFactory | null = null;
const strength = () => (estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

const classesIn = (p: string) => [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length;

/**
 * Checks a new password against the profile. `dengbao` (等保, the default): at least 8
 * characters from 3 of the 4 classes. `asvs` (OWASP ASVS 2.1): at least 12 characters, any
 * characters, not a common or breached password. Both refuse the username inside the password.
 */
export function checkPasswordPolicy(profile: PasswordProfile, password: string, username: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length > 128) problems.push({ code: 'too_long', max: 128 });
  const rules = PASSWORD_RULES[profile];
  if (length < rules.minLength) problems.push({ code: 'too_short', min: rules.minLength });
  if (rules.minClasses > 0 && classesIn(password) < rules.minClasses) problems.push({ code: 'too_few_classes', need: rules.minClasses });
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) problems.push({ code: 'contains_username' });
  // asvs: zxcvbn's common-password dictionary; score 0–1 means it falls in seconds to a guesser.
  if (rules.refusesCommon && strength().check(password, [username]).score <= 1) problems.push({ code: 'common_password' });
  return problems;
}
