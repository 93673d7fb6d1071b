// What happened to the money: the delivery of a published round's funded
// bids as the public page, a bid's page, the group's page and the staff
// pages show it, built from the API's answers. Pure.
import type {
  DeliveryFieldsFragment,
  DeliveryStatus,
  DeliveryTotalsFieldsFragment,
  DeliveryUpdateFieldsFragment,
  DeliveryUpdateState,
} from '../graphql/generated/graphql.js';
import { en, fmt, plural, type Dictionary, type Lang } from '../i18n/index.js';
import { width } from '../lib/chart.js';
import { formatDate } from '../lib/dates.js';
import { formatPence } from '../lib/money.js';

/** Every status, in the order a project goes through them (the staff form's radios). */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['PLANNED', 'IN_PROGRESS', 'DELIVERED', 'DELAYED', 'CANCELLED'];

/** The statuses that need a reason, shown with it. */
export const STATUSES_WITH_REASON: readonly DeliveryStatus[] = ['DELAYED', 'CANCELLED'];

/** GOV.UK tag colours: a status at a glance (its word says it too). */
const STATUS_COLOURS: Record<DeliveryStatus, string> = {
  PLANNED: 'grey',
  IN_PROGRESS: 'blue',
  DELIVERED: 'green',
  DELAYED: 'yellow',
  CANCELLED: 'red',
};

const STATE_COLOURS: Record<DeliveryUpdateState, string> = {
  PENDING: 'yellow',
  APPROVED: 'green',
  REJECTED: 'red',
};

/** A GOV.UK tag: its words and its colour. */
export interface Tag {
  text: string;
  colour: string;
}

/** A delivery's status as a tag, in the page's language. */
export function statusTag(status: DeliveryStatus, t: Dictionary = en): Tag {
  return { text: t.delivery.statuses[status] ?? status, colour: STATUS_COLOURS[status] ?? 'grey' };
}

/** An update's state as its group and staff see it: waiting, public, or not approved. */
export function stateTag(state: DeliveryUpdateState, t: Dictionary = en): Tag {
  return { text: t.delivery.states[state] ?? state, colour: STATE_COLOURS[state] ?? 'grey' };
}

/** Why a delivery is delayed or cancelled, with the words that introduce it; null for any other status or without a reason. */
export function statusReason(d: Pick<DeliveryFieldsFragment, 'status' | 'statusReason'>, t: Dictionary = en): { label: string; text: string } | null {
  if (!d.statusReason) return null;
  if (d.status === 'DELAYED') return { label: t.delivery.reasonDelayed, text: d.statusReason };
  if (d.status === 'CANCELLED') return { label: t.delivery.reasonCancelled, text: d.statusReason };
  return null;
}

/** A round's totals in words: money promised against money spent, projects delivered of those funded, and cancelled. */
export function totalsView(totals: DeliveryTotalsFieldsFragment, t: Dictionary = en, lang: Lang = 'en') {
  const promised = formatPence(totals.promisedPence, lang);
  const spent = formatPence(totals.spentPence, lang);
  return {
    ...totals,
    promisedText: promised,
    spentText: spent,
    deliveredText: fmt(plural(lang, t.delivery.deliveredSummary, totals.funded), { delivered: totals.delivered }),
    spentOfPromisedText: fmt(t.delivery.spentOfPromised, { spent, promised }),
    /** The bar of money spent, as a share of the money promised (lib/chart.ts widths). */
    spentWidth: width(totals.spentPence, totals.promisedPence),
    cancelledText: String(totals.cancelled),
  };
}

/** A milestone with its dates as the site writes them in the page's language. */
export function milestoneView(m: { title: string; targetDate: string; doneDate?: string | null }, t: Dictionary = en, lang: Lang = 'en') {
  return {
    title: m.title,
    targetText: formatDate(m.targetDate, lang),
    dueText: fmt(t.delivery.dueBy, { date: formatDate(m.targetDate, lang) }),
    done: Boolean(m.doneDate),
    doneText: m.doneDate ? fmt(t.delivery.doneOn, { date: formatDate(m.doneDate, lang) }) : t.delivery.notDoneYet,
  };
}

/** When an update became public (or, before, when it was sent). */
export function updateDate(u: Pick<DeliveryUpdateFieldsFragment, 'createdAt' | 'decidedAt' | 'state'>): string {
  return u.state === 'APPROVED' && u.decidedAt ? u.decidedAt : u.createdAt;
}

/** The updates anyone may see: the approved ones, newest first as the API gives them. */
export function publicUpdates<U extends Pick<DeliveryUpdateFieldsFragment, 'state'>>(updates: readonly U[]): U[] {
  return updates.filter((u) => u.state === 'APPROVED');
}

/** An update with its state and date, for the pages that list them. */
export function updateView<U extends DeliveryUpdateFieldsFragment>(u: U, t: Dictionary = en, lang: Lang = 'en') {
  return {
    ...u,
    tag: stateTag(u.state, t),
    dateText: formatDate(updateDate(u), lang),
    sentText: fmt(t.delivery.sentOn, { date: formatDate(u.createdAt, lang) }),
    publishedText: fmt(t.delivery.publishedOn, { date: formatDate(updateDate(u), lang) }),
    decidedText: u.decidedAt ? fmt(t.deliveryStaff.decidedOn, { date: formatDate(u.decidedAt, lang) }) : '',
    paragraphs: paragraphs(u.body),
  };
}

/** What a group wrote, in paragraphs at its blank lines. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * One funded bid's delivery for any page: its status as a tag with the
 * reason, the money in words (overspent or not), the milestones with their
 * dates, and its public updates (newest first) with the latest one apart.
 */
export function deliveryView<D extends DeliveryFieldsFragment & { updates?: DeliveryUpdateFieldsFragment[] }>(d: D, t: Dictionary = en, lang: Lang = 'en') {
  const shown = publicUpdates(d.updates ?? []).map((u) => updateView(u, t, lang));
  return {
    ...d,
    tag: statusTag(d.status, t),
    reason: statusReason(d, t),
    awardText: formatPence(d.awardPence, lang),
    spentText: formatPence(d.spentPence, lang),
    overspent: d.spentPence > d.awardPence,
    milestoneRows: d.milestones.map((m) => milestoneView(m, t, lang)),
    publicUpdates: shown,
    latestUpdate: shown[0] ?? null,
  };
}

/** The area filter of the public page: every area of the round's pots, the one shown marked, each a link. */
export function areaLinks(roundId: string, pots: readonly { area: { id: string; name: string; nameCy?: string | null } }[], current: string | null) {
  return [
    { id: null, area: null, href: `/rounds/${roundId}/delivery`, current: current === null },
    ...pots.map((p) => ({ id: p.area.id, area: p.area, href: `/rounds/${roundId}/delivery?area=${encodeURIComponent(p.area.id)}`, current: current === p.area.id })),
  ];
}

/** `?area=ID`: one of the round's areas, null for all, undefined for anything else (no such page). */
export function areaParam(q: unknown, areaIds: readonly string[]): string | null | undefined {
  if (q === undefined || q === '') return null;
  if (typeof q !== 'string') return undefined;
  return areaIds.includes(q) ? q : undefined;
}

/** How many updates wait for approval, by delivery. */
export function waitingByDelivery(waiting: readonly { deliveryId: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const u of waiting) counts.set(u.deliveryId, (counts.get(u.deliveryId) ?? 0) + 1);
  return counts;
}
