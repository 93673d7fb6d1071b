// Reminders on residents' pages: whether a round still takes them, which
// messages a resident would still get, and the account page's list. Pure:
// `now` is passed in.
import type { Phase, ReminderChannel } from '../graphql/generated/graphql.js';

/** The phases in which someone verified may ask for reminders: from bids opening until voting closes. */
const OPEN: readonly Phase[] = ['BIDS_OPEN', 'BID_REVIEW', 'VOTING'];

export interface RemindersRound {
  phase: Phase;
  schedule?: { votingClosesAt?: string | null } | null;
}

/** The round still takes reminders: open, and voting not past its closing time. */
export function remindersOpen(round: RemindersRound, now: Date = new Date()): boolean {
  if (!OPEN.includes(round.phase)) return false;
  const closes = round.schedule?.votingClosesAt;
  return !(round.phase === 'VOTING' && closes && new Date(closes).getTime() <= now.getTime());
}

/**
 * The messages someone asking now would get: "voting opens" only before
 * it has (the API sends it to those who asked before), then 2 days before
 * the close and the results.
 */
export function remindersOffered(round: RemindersRound): ('whenOpens' | 'whenClosing' | 'whenResults')[] {
  return round.phase === 'VOTING' ? ['whenClosing', 'whenResults'] : ['whenOpens', 'whenClosing', 'whenResults'];
}

export interface ReminderItem {
  roundId: string;
  channel: ReminderChannel;
  contactHint: string;
}

/**
 * The account page's reminders, each with its round (for the title) when
 * the account knows it, and the rounds someone verified could still ask
 * for them in.
 */
export function accountReminders<R extends RemindersRound & { id: string }>(
  reminders: readonly ReminderItem[],
  verifications: readonly { roundId: string; verified: boolean; round?: R | null }[],
  now: Date = new Date(),
) {
  const rounds = new Map(verifications.filter((v) => v.round).map((v) => [v.roundId, v.round as R]));
  const asked = new Set(reminders.map((r) => r.roundId));
  return {
    reminders: reminders.map((r) => ({ ...r, round: rounds.get(r.roundId) ?? null })),
    offers: verifications.filter((v) => v.verified && v.round && !asked.has(v.roundId) && remindersOpen(v.round, now)).map((v) => v.round as R),
  };
}

/**
 * Where reminders go, as the pages say it after "by email to", "by post to
 * the address with the postcode": the API's hint (`j•••@example.org`,
 * `•••• ••• 123`, `LS6 1•• (post)`) without the "(post)" the sentence
 * already says, the postcode kept on one line (a no-break space).
 */
export function reminderContact(r: { channel: ReminderChannel; contactHint: string }): string {
  if (r.channel !== 'LETTER') return r.contactHint;
  return r.contactHint.replace(/\s*\(post\)\s*$/i, '').replace(/ /g, '\u00a0');
}

/** Whether the council sends reminders (and voting-code letters) by post. */
export function postOffered(channels: readonly ReminderChannel[]): boolean {
  return channels.includes('LETTER');
}
