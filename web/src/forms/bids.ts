// A group's bid form: the values as typed, the checks for a bid to send and
// for a draft to keep, and the API's inputs. Pure; texts in the page's language.
import type { Dictionary } from '../i18n/index.js';
import { FormErrors, str } from '../lib/forms.js';
import { parsePounds, penceToInput } from '../lib/money.js';
import type { ApiErrorMapping } from './api-error.js';

export interface BidValues {
  roundId: string;
  title: string;
  summary: string;
  description: string;
  /** The Welsh, each optional: Welsh pages show the English where one is empty. */
  titleCy: string;
  summaryCy: string;
  descriptionCy: string;
  cost: string;
  category: string;
  address: string;
  /** The part of the pot's area the project is for; '' for the whole area. */
  areaId: string;
}

export function bidValues(body: unknown): BidValues {
  return {
    roundId: str(body, 'roundId'),
    title: str(body, 'title'),
    summary: str(body, 'summary'),
    description: str(body, 'description'),
    titleCy: str(body, 'titleCy'),
    summaryCy: str(body, 'summaryCy'),
    descriptionCy: str(body, 'descriptionCy'),
    cost: str(body, 'cost'),
    category: str(body, 'category'),
    address: str(body, 'address'),
    areaId: str(body, 'areaId'),
  };
}

/** The form's values for a bid or draft as it is; a draft with no cost yet shows none. */
export function bidValuesOf(
  bid: {
    round: { id: string };
    title: string;
    summary: string;
    description: string;
    titleCy?: string | null;
    summaryCy?: string | null;
    descriptionCy?: string | null;
    costPence: number;
    category: string;
    location: { address?: string | null };
    locality?: { id: string } | null;
  },
  { blankZeroCost = false } = {},
): BidValues {
  return {
    roundId: bid.round.id,
    title: bid.title,
    summary: bid.summary,
    description: bid.description,
    titleCy: bid.titleCy ?? '',
    summaryCy: bid.summaryCy ?? '',
    descriptionCy: bid.descriptionCy ?? '',
    cost: blankZeroCost && bid.costPence <= 0 ? '' : penceToInput(bid.costPence),
    category: bid.category,
    address: bid.location.address ?? '',
    areaId: bid.locality?.id ?? '',
  };
}

/** The button pressed: "Save as draft" sends action=draft. */
export function savingDraft(body: unknown): boolean {
  return str(body, 'action') === 'draft';
}

/** Whether the group confirmed on the check-answers page. */
export function confirmed(body: unknown): boolean {
  return str(body, 'confirm') === 'yes';
}

/** Adds an error when the area chosen is not one the form offers. */
function checkArea(t: Dictionary, v: BidValues, areaIds: string[] | undefined, errors: FormErrors) {
  if (v.areaId && areaIds && !areaIds.includes(v.areaId)) errors.add('areaId', t.bidForm.errorArea);
}

/** A bid to send: every answer given; the area, if chosen, one of `areaIds`. */
export function validateBid(t: Dictionary, v: BidValues, needRound: boolean, categories: string[], areaIds?: string[]): FormErrors {
  const errors = new FormErrors();
  if (needRound && !v.roundId) errors.add('roundId', t.bidForm.errorRound);
  if (!v.title) errors.add('title', t.bidForm.errorTitle);
  if (!v.summary) errors.add('summary', t.bidForm.errorSummary);
  if (!v.description) errors.add('description', t.bidForm.errorDescription);
  const pence = parsePounds(v.cost);
  if (pence === null || pence <= 0) errors.add('cost', t.bidForm.errorCost);
  if (!categories.includes(v.category)) errors.add('category', t.bidForm.errorCategory);
  checkArea(t, v, areaIds, errors);
  return errors;
}

/** A draft needs only a round and a name; what else is given must make sense. */
export function validateDraft(t: Dictionary, v: BidValues, needRound: boolean, categories: string[], areaIds?: string[]): FormErrors {
  const errors = new FormErrors();
  if (needRound && !v.roundId) errors.add('roundId', t.bidForm.errorRound);
  if (!v.title) errors.add('title', t.bidForm.errorDraftTitle);
  if (v.cost) {
    const pence = parsePounds(v.cost);
    if (pence === null || pence < 0) errors.add('cost', t.bidForm.errorCost);
  }
  if (v.category && !categories.includes(v.category)) errors.add('category', t.bidForm.errorCategory);
  checkArea(t, v, areaIds, errors);
  return errors;
}

/** Adds an error when the cost is more than the area's pot in the round. */
export function checkCostWithinPot(t: Dictionary, v: BidValues, pot: { amountPence: number } | undefined, errors: FormErrors): FormErrors {
  const pence = parsePounds(v.cost);
  if (pot && pence !== null && pence > pot.amountPence) errors.add('cost', t.bidForm.errorCostExceedsPot);
  return errors;
}

/** The Welsh, where given: the API keeps none for an empty one. */
function welshDetails(v: BidValues) {
  return { titleCy: v.titleCy.trim() || null, summaryCy: v.summaryCy.trim() || null, descriptionCy: v.descriptionCy.trim() || null };
}

/** The API's details of a bid to send. */
export function bidDetails(v: BidValues) {
  return {
    title: v.title,
    summary: v.summary,
    description: v.description,
    ...welshDetails(v),
    costPence: parsePounds(v.cost) ?? 0,
    category: v.category,
    location: { address: v.address || null, latitude: null, longitude: null },
    // No locality: the whole of the pot's area.
    localityId: v.areaId || null,
  };
}

/** The API's details of a draft: what is not given yet is null. */
export function draftDetails(v: BidValues) {
  return {
    title: v.title,
    summary: v.summary || null,
    description: v.description || null,
    ...welshDetails(v),
    costPence: v.cost ? parsePounds(v.cost) : null,
    category: v.category || null,
    location: { address: v.address || null, latitude: null, longitude: null },
    localityId: v.areaId || null,
  };
}

/** Where the group and bid forms show the API's refusals. */
export function groupApiErrors(t: Dictionary): ApiErrorMapping {
  return {
    field: 'title',
    byCode: { BID_COST_EXCEEDS_POT: 'cost', PHASE_CLOSED: 'roundId', AREA_NOT_IN_ROUND: 'roundId', NAME_TAKEN: 'name', INVALID_EMAIL: 'contactEmail' },
    // The API names the cost costPence and the area localityId; the form's fields are cost and areaId. Other names are the form's own.
    fieldOf: (f) => (f === 'costPence' ? 'cost' : f === 'localityId' ? 'areaId' : f),
    messages: t.api,
  };
}
