// One-off success messages after a redirect, kept in a short-lived cookie.
// The cookie holds a dictionary key (like `groups.memberAdded`), never text
// a person typed, so it carries nothing personal.
import type { Request, Response } from 'express';
import type { Dictionary } from '../i18n/index.js';
import { COOKIES } from '../http/request.js';

const COOKIE = COOKIES.flash;

export function setFlash(res: Response, key: string) {
  const secure = res.app.locals.secureCookies !== false;
  res.cookie(COOKIE, key, { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: 60_000 });
}

/** Staff pages are in English only, so their messages are here, not in the dictionaries. */
const STAFF: Record<string, string> = {
  'officer.areaSaved': 'The area was saved.',
  'officer.roleRemoved': 'The role was removed.',
  'officer.roundSaved': 'The round was saved.',
  'officer.phaseChanged': 'The round moved on.',
  'officer.roundCancelled': 'The round was cancelled.',
  'officer.reviewed': 'The review was saved. The group has been told.',
  'officer.conflictResolved': 'The conflict was resolved.',
  'officer.lettersCollected': 'The letters are no longer kept here. Their voting codes can now be read only on the letters.',
  'officer.counted': 'The round was counted. Councillors can now check the provisional result and publish it.',
  'officer.countFailed': 'The round could not be counted. The reason is below.',
  'officer.published': 'The result was published. Groups with a bid on the ballot have been emailed.',
  'officer.corrected': 'The correction was published as a new version of the result.',
};

/** The message to show on this page, if any; it is then forgotten. */
export function takeFlash(req: Request, res: Response, t: Dictionary): string | undefined {
  const key = req.cookies?.[COOKIE];
  if (typeof key !== 'string') return undefined;
  res.clearCookie(COOKIE, { path: '/' });
  if (STAFF[key]) return STAFF[key];
  const [section, name] = key.split('.');
  const group = (t as unknown as Record<string, Record<string, unknown>>)[section ?? ''];
  const text = group?.[name ?? ''];
  return typeof text === 'string' ? text : undefined;
}
