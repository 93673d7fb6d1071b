// Residents' forms, in the page's language: a postcode to find your area,
// signing in by email, the details that say who you are before you prove
// you may vote, the name your groups see, deleting your account. Pure.
import type { Relation } from '../graphql/generated/graphql.js';
import type { Dictionary } from '../i18n/index.js';
import type { ApiErrorMapping } from './api-error.js';
import { dateFromParts } from '../lib/dates.js';
import { FormErrors, str, strs } from '../lib/forms.js';
import { normalisePostcode } from '../lib/postcode.js';

/** An email address as a person types it: something@somewhere.tld. The API checks it properly. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The email address to send a sign-in code to. */
export function parseSignInEmail(body: unknown, t: Dictionary) {
  const email = str(body, 'email');
  const errors = new FormErrors();
  if (!email) errors.add('email', t.signIn.errorEmailEmpty);
  else if (!EMAIL.test(email)) errors.add('email', t.signIn.errorEmailInvalid);
  return { values: { email }, errors, email: errors.any ? null : email };
}

/**
 * How long a sign-in or verification code works, in minutes: the API's
 * `CODE_LIFETIME_MINUTES` (api/src/service/codes.rs), which its emails and
 * texts give. A unit test reads the API's to keep the two the same.
 */
export const CODE_LIFETIME_MINUTES = 10;

/** A code as typed, spaces taken out. */
export function typedCode(body: unknown): string {
  return str(body, 'code').replace(/\s+/g, '');
}

/**
 * Who you are, for a round: name, date of birth, postcode, and how you are
 * connected to the area (the only one the round accepts, when it accepts one).
 */
export function parseDeclaration(body: unknown, relations: readonly Relation[], t: Dictionary) {
  const values = {
    name: str(body, 'name'),
    day: str(body, 'dob-day'),
    month: str(body, 'dob-month'),
    year: str(body, 'dob-year'),
    postcode: str(body, 'postcode'),
    relation: str(body, 'relation') || (relations.length === 1 ? (relations[0] ?? '') : ''),
  };
  const errors = new FormErrors();
  if (!values.name) errors.add('name', t.verify.errorName);
  const dob = checkDateOfBirth(values.day, values.month, values.year);
  if (dob.error) errors.add('dob-day', t.verify[dob.error]);
  if (!values.postcode) errors.add('postcode', t.verify.errorPostcode);
  if (!relations.includes(values.relation as Relation)) errors.add('relation', t.verify.errorRelation);
  const person = { name: values.name, dateOfBirth: dob.date ?? '', postcode: values.postcode, relation: values.relation as Relation };
  return { values, errors, person: errors.any || !dob.date ? null : person };
}

/**
 * A date of birth from its three fields, or what is wrong with it, as
 * GOV.UK's date pattern says: nothing entered, not a real date (31 2 1950,
 * a month 13, a year not of 4 numbers or over 125 years ago), or not in the past.
 */
export function checkDateOfBirth(day: string, month: string, year: string, today: Date = new Date()): { date: string | null; error?: 'errorDob' | 'errorDobReal' | 'errorDobPast' } {
  if (!day.trim() && !month.trim() && !year.trim()) return { date: null, error: 'errorDob' };
  const date = /^\d{4}$/.test(year.trim()) ? dateFromParts(day.trim(), month.trim(), year.trim()) : null;
  if (!date) return { date: null, error: 'errorDobReal' };
  const todayIso = today.toISOString().slice(0, 10);
  if (date > todayIso) return { date: null, error: 'errorDobPast' };
  if (today.getUTCFullYear() - Number(date.slice(0, 4)) > 125) return { date: null, error: 'errorDobReal' };
  return { date };
}

/** A postcode as typed, and its written form once it can be one. */
export function parsePostcode(body: unknown, t: Dictionary) {
  const raw = str(body, 'postcode');
  const errors = new FormErrors();
  const postcode = normalisePostcode(raw);
  if (!raw) errors.add('postcode', t.postcode.errorEmpty);
  else if (!postcode) errors.add('postcode', t.postcode.errorInvalid);
  return { values: { postcode: raw }, errors, postcode: errors.any ? null : postcode };
}

/** The most characters a name may have: the API's limit for `setDisplayName`. */
export const DISPLAY_NAME_MAX = 60;

/**
 * The name other members of your groups see: at most 60 characters (as the
 * API counts them, by code point), none that cannot be shown; empty
 * removes it. `name` is null while there are errors ('' is a name to send).
 */
export function parseDisplayName(body: unknown, t: Dictionary) {
  const name = str(body, 'name');
  const errors = new FormErrors();
  if ([...name].length > DISPLAY_NAME_MAX) errors.add('name', t.account.nameErrorLong);
  else if (/\p{Cc}/u.test(name)) errors.add('name', t.account.nameErrorCharacters);
  return { values: { name }, errors, name: errors.any ? null : name };
}

/** The API refuses a name only for what the form checks first: its characters, once the length is right. */
export function displayNameApiErrors(t: Dictionary): ApiErrorMapping {
  return { field: 'name', messages: { ...t.api, INVALID_INPUT: t.account.nameErrorCharacters } };
}

/** Deleting an account needs its box ticked. */
export function parseDeletion(body: unknown, t: Dictionary) {
  const errors = new FormErrors();
  if (!strs(body, 'confirm').includes('yes')) errors.add('confirm', t.account.deleteErrorConfirm);
  return { errors, confirmed: !errors.any };
}
