// What the account page shows, in the page's language. Pure.
import type { Dictionary } from '../i18n/index.js';

/**
 * What we keep for one verification, in words: the same facts as the API's
 * `storedData` (which is in English only), from the verification's fields.
 */
export function keptData(t: Dictionary, v: { ageCheckedAtLeast?: number | null; hasPhone: boolean; hasEmail: boolean }): string[] {
  const kept = [t.account.kept.hashes, t.account.kept.nameWords, t.account.kept.connection];
  if (v.ageCheckedAtLeast !== null && v.ageCheckedAtLeast !== undefined) kept.push(t.account.kept.age);
  if (v.hasPhone) kept.push(t.account.kept.phone);
  if (v.hasEmail) kept.push(t.account.kept.email);
  return kept;
}

/** The account's roles by name, after the resident's role everyone has. */
export function roleNames(t: Dictionary, roles: readonly string[]): string[] {
  const names = t.account.roleNames as Record<string, string>;
  return [t.account.resident, ...roles.map((r) => names[r] ?? r)];
}
