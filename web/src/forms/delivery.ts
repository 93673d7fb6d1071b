// The delivery forms. A group's update with up to four photos, each with
// its alt text (the photos come from http/bodies.ts, read into memory with
// a file over 5 MB marked rather than kept); and the officers' forms for a
// delivery's status, its spending in pounds, its milestones, and approving
// an update. Each parses and checks the form as the API would, and turns
// the API's refusal into an error beside the field it is about.
import type { ApiErrorItem } from '../graphql/client.js';
import type { DeliveryStatus, MilestoneInput, PostDeliveryUpdateInput } from '../graphql/generated/graphql.js';
import { en, fmt, type Dictionary } from '../i18n/index.js';
import { dateFromParts } from '../lib/dates.js';
import { FormErrors, str } from '../lib/forms.js';
import { parsePounds, penceToInput } from '../lib/money.js';
import { DELIVERY_STATUSES, STATUSES_WITH_REASON } from '../view-models/delivery.js';
import { refusal, sentence } from './api-error.js';

/** The longest update, in characters (the API's limit). */
export const BODY_MAX = 2000;
/** A photo's alt text: at least 3 characters, at most 300 (the API's limits). */
export const ALT_MIN = 3;
export const ALT_MAX = 300;
/** Photos one update may carry, and the form's fields for them: photo-1 … photo-4, alt-1 … alt-4. */
export const PHOTO_SLOTS = [1, 2, 3, 4] as const;
/** The most milestones a delivery has (the API's MAX_MILESTONES). */
export const MILESTONES_MAX = 12;
/** Empty rows the milestones form shows after the existing ones, so that rows can be added without JavaScript. */
export const BLANK_MILESTONE_ROWS = 2;

/** A photo as the multipart reader leaves it: over 5 MB it is marked `tooLarge`, and not kept. */
export interface PhotoUpload {
  buffer: Buffer;
  size: number;
  tooLarge?: boolean;
}

/** The uploaded files of a form with several, by field, as multer's `fields()` leaves them. */
export type UploadedFiles = Record<string, PhotoUpload[] | undefined> | PhotoUpload[] | undefined;

const chars = (s: string) => [...s].length;

function fileOf(files: UploadedFiles, field: string): PhotoUpload | undefined {
  if (!files || Array.isArray(files)) return undefined;
  return files[field]?.[0];
}

/** The text of an update form, kept to show again. */
export type UpdateValues = Record<string, string>;

/**
 * An update and its photos, for postDeliveryUpdate. `photoSlots` says which
 * field each photo sent came from, in order: the API numbers photos as
 * sent, and its refusal goes beside the field the person used.
 */
export function parseUpdate(body: unknown, files: UploadedFiles, deliveryId: string, t: Dictionary = en) {
  const d = t.delivery;
  const text = str(body, 'body');
  const values: UpdateValues = { body: text };
  for (const n of PHOTO_SLOTS) values[`alt-${n}`] = str(body, `alt-${n}`);
  const errors = new FormErrors();
  if (!text) errors.add('body', d.errorBody);
  else if (chars(text) > BODY_MAX) errors.add('body', d.errorBodyLong);
  const photos: { contentBase64: string; altText: string }[] = [];
  const photoSlots: number[] = [];
  let photoSent = false;
  for (const n of PHOTO_SLOTS) {
    const file = fileOf(files, `photo-${n}`);
    const alt = values[`alt-${n}`] ?? '';
    const number = { number: n };
    if (!file) {
      if (alt) errors.add(`photo-${n}`, fmt(d.errorAltWithoutPhoto, number));
      continue;
    }
    photoSent = true;
    if (file.tooLarge) errors.add(`photo-${n}`, fmt(d.errorPhotoTooLarge, number));
    else if (file.buffer.length === 0) errors.add(`photo-${n}`, fmt(d.errorPhotoEmpty, number));
    if (!alt) errors.add(`alt-${n}`, fmt(d.errorAlt, number));
    else if (chars(alt) < ALT_MIN) errors.add(`alt-${n}`, fmt(d.errorAltShort, number));
    else if (chars(alt) > ALT_MAX) errors.add(`alt-${n}`, fmt(d.errorAltLong, number));
    photos.push({ contentBase64: file.buffer.toString('base64'), altText: alt });
    photoSlots.push(n);
  }
  const input: PostDeliveryUpdateInput | null = errors.any ? null : { deliveryId, body: text, photos };
  // Files chosen are not kept: a page shown again asks for them again.
  return { values, errors, input, photoSlots, photoSent };
}

/** The form's words for what the API says of a photo ("photo 2: the file is not a JPEG, PNG or WebP image"). */
function photoError(message: string, n: number, t: Dictionary): string {
  const d = t.delivery;
  const number = { number: n };
  if (/not a JPEG, PNG or WebP/i.test(message)) return fmt(d.errorPhotoType, number);
  if (/could not be read/i.test(message)) return fmt(d.errorPhotoUnreadable, number);
  if (/is empty/i.test(message)) return fmt(d.errorPhotoEmpty, number);
  if (/\bMB\b/.test(message)) return fmt(d.errorPhotoTooLarge, number);
  return fmt(d.errorPhoto, number);
}

/** Where one of the API's refusals of an update goes, and in which words. */
export function updateErrorOf(item: ApiErrorItem, photoSlots: readonly number[], t: Dictionary = en): { field: string; text: string } {
  const d = t.delivery;
  const slot = (sent: number) => photoSlots[sent - 1] ?? PHOTO_SLOTS[0];
  if (item.code === 'INVALID_TRANSITION') return { field: 'body', text: d.errorCancelled };
  if (item.code === 'INVALID_INPUT' && item.field === 'photos') {
    // "what photo 2 shows (its alt text) …": its description.
    const alt = /what photo (\d+) shows/i.exec(item.message);
    if (alt) {
      const n = slot(Number(alt[1]));
      const words = /or fewer/i.test(item.message) ? d.errorAltLong : /at least/i.test(item.message) ? d.errorAltShort : d.errorAlt;
      return { field: `alt-${n}`, text: fmt(words, { number: n }) };
    }
    // "photo 2: …": the file.
    const photo = /^photo (\d+):\s*(.*)$/i.exec(item.message);
    const n = slot(photo ? Number(photo[1]) : 1);
    return { field: `photo-${n}`, text: photoError(photo?.[2] ?? item.message, n, t) };
  }
  if (item.code === 'INVALID_INPUT' && item.field === 'body') {
    if (/or fewer/i.test(item.message)) return { field: 'body', text: d.errorBodyLong };
    if (/^enter/i.test(item.message)) return { field: 'body', text: d.errorBody };
  }
  return { field: 'body', text: t.api['*'] ?? item.message };
}

/**
 * Adds the API's refusal of an update to the form's errors, in the page's
 * language, beside the field it is about (the Nth photo sent is the field
 * `photoSlots[N-1]`); anything but a refusal of what was sent goes on to
 * the error pages.
 */
export function addUpdateError(errors: FormErrors, e: unknown, photoSlots: readonly number[], t: Dictionary = en): FormErrors {
  const err = refusal(e, { only: ['INVALID_INPUT', 'INVALID_TRANSITION'] });
  const items: ApiErrorItem[] = err.errors.length ? err.errors : [{ code: err.code, message: err.message }];
  for (const item of items) {
    const { field, text } = updateErrorOf({ ...item, code: item.code || err.code }, photoSlots, t);
    errors.add(field, text);
  }
  return errors;
}

// Staff forms.

/** The status form's values as the delivery stands. */
export function statusValues(d: { status: DeliveryStatus; statusReason: string | null }): Record<string, string> {
  return { status: d.status, statusReason: d.statusReason ?? '' };
}

/** A delivery's status, and the reason a delayed or cancelled one needs (one field, shown once either is chosen), for setDeliveryStatus. */
export function parseStatus(body: unknown, t: Dictionary = en) {
  const s = t.deliveryStaff;
  const values = { status: str(body, 'status'), statusReason: str(body, 'statusReason') };
  const errors = new FormErrors();
  const status = DELIVERY_STATUSES.find((x) => x === values.status);
  // Only a delayed or cancelled project keeps a reason.
  const reason = status && STATUSES_WITH_REASON.includes(status) ? values.statusReason || null : null;
  if (!status) errors.add('status', s.errorStatus);
  else if (status === 'DELAYED' && !reason) errors.add('statusReason', s.errorDelayedReason);
  else if (status === 'CANCELLED' && !reason) errors.add('statusReason', s.errorCancelledReason);
  const input = !errors.any && status ? { status, reason } : null;
  return { values, errors, input };
}

/** The spending form's values as the delivery stands. */
export function spendingValues(d: { spentPence: number; overspendReason: string | null }): Record<string, string> {
  return { spent: penceToInput(d.spentPence), spentReason: d.overspendReason ?? '' };
}

/** The money spent, typed in pounds, in pence for setDeliverySpending; more than the award needs a reason. */
export function parseSpending(body: unknown, awardPence: number, t: Dictionary = en) {
  const s = t.deliveryStaff;
  const values = { spent: str(body, 'spent'), spentReason: str(body, 'spentReason') };
  const errors = new FormErrors();
  const spentPence = values.spent ? parsePounds(values.spent) : null;
  if (spentPence === null) errors.add('spent', s.errorSpent);
  else if (spentPence > awardPence && !values.spentReason) errors.add('spentReason', s.errorOverspendReason);
  const input = !errors.any && spentPence !== null ? { spentPence, reason: values.spentReason || null } : null;
  return { values, errors, input };
}

/** A date as a milestone field takes it: `YYYY-MM-DD` (a date field), or typed `3/6/2027`; null when it is not a real date. */
export function milestoneDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return dateFromParts(iso[3] ?? '', iso[2] ?? '', iso[1] ?? '');
  const typed = /^(\d{1,2})[/.\s-](\d{1,2})[/.\s-](\d{4})$/.exec(text);
  if (typed) return dateFromParts(typed[1] ?? '', typed[2] ?? '', typed[3] ?? '');
  return null;
}

/** One row of the milestones form, as typed. */
export interface MilestoneRow {
  title: string;
  target: string;
  done: string;
}

/** The rows the milestones form shows: the milestones there are, then empty ones to add more, up to the most a delivery may have. */
export function milestoneRows(milestones: readonly { title: string; targetDate: string; doneDate?: string | null }[]): MilestoneRow[] {
  const rows = milestones.map((m) => ({ title: m.title, target: m.targetDate, done: m.doneDate ?? '' }));
  const blank = Math.max(0, Math.min(BLANK_MILESTONE_ROWS, MILESTONES_MAX - rows.length));
  return [...rows, ...Array.from({ length: blank }, () => ({ title: '', target: '', done: '' }))];
}

/**
 * The milestones, every one of them, for setDeliveryMilestones: each row
 * with anything in it needs what will be done and when it is due by; a
 * row left empty is no milestone (that is how one is removed).
 */
export function parseMilestones(body: unknown, t: Dictionary = en) {
  const s = t.deliveryStaff;
  const rows: MilestoneRow[] = [];
  // Rows are numbered from 1 with no gaps; a form shows at most the most there may be and two more.
  const sent = (key: string) => Boolean(body && typeof body === 'object' && key in body);
  for (let i = 1; i <= MILESTONES_MAX + BLANK_MILESTONE_ROWS; i += 1) {
    const key = (field: string) => `milestone-${i}-${field}`;
    if (!['title', 'target', 'done'].some((field) => sent(key(field)))) break;
    rows.push({ title: str(body, key('title')), target: str(body, key('target')), done: str(body, key('done')) });
  }
  const errors = new FormErrors();
  const milestones: MilestoneInput[] = [];
  rows.forEach((row, index) => {
    const n = index + 1;
    if (!row.title && !row.target && !row.done) return;
    const number = { number: n };
    const target = row.target ? milestoneDate(row.target) : null;
    const done = row.done ? milestoneDate(row.done) : null;
    if (!row.title) errors.add(`milestone-${n}-title`, fmt(s.errorMilestoneTitle, number));
    if (!target) errors.add(`milestone-${n}-target`, fmt(s.errorMilestoneTarget, number));
    if (row.done && !done) errors.add(`milestone-${n}-done`, fmt(s.errorMilestoneDone, number));
    if (row.title && target) milestones.push({ title: row.title, targetDate: target, doneDate: done });
  });
  if (milestones.length > MILESTONES_MAX) errors.add('milestone-1-title', s.errorTooManyMilestones);
  // A short form shows its two empty rows again.
  const shown = rows.length ? rows : milestoneRows([]);
  const input = errors.any ? null : milestones;
  return { rows: shown, errors, input };
}

/** An officer's decision on an update: approve, or not with a reason for the group. */
export function parseDecision(body: unknown, updateId: string, t: Dictionary = en) {
  const approve = str(body, 'decision') === 'approve';
  const reason = str(body, 'reason');
  const errors = new FormErrors();
  if (!approve && !reason) errors.add(`reason-${updateId}`, t.deliveryStaff.errorRejectReason);
  const input = errors.any ? null : { approve, reason: reason || null };
  return { values: { [`reason-${updateId}`]: reason }, errors, input };
}

/**
 * Adds the API's refusal of a staff form to its errors, beside the field it
 * names (`fields`, the API's names to the form's) or the form's own
 * `field`, in the API's words (English, marked so on a Welsh page); not
 * allowed, not found and failures go on to the error pages.
 */
export function addStaffDeliveryError(errors: FormErrors, e: unknown, fields: Record<string, string>, field: string, t: Dictionary = en): FormErrors {
  const err = refusal(e, { only: ['INVALID_INPUT', 'INVALID_TRANSITION'] });
  const lang = t.lang === 'en' ? undefined : 'en';
  const items: ApiErrorItem[] = err.errors.length ? err.errors : [{ code: err.code, message: err.message }];
  for (const item of items) {
    errors.add((item.field ? fields[item.field] : undefined) ?? field, sentence(item.message || item.code || err.code), lang);
  }
  return errors;
}
