// A round's timetable in words, for residents: what stage it is at, when
// voting closes and how many days are left ("Voting closes at 5pm on
// Friday 12 December 2025." "3 days left"), in English or Welsh. Pure:
// `now` is passed in.
import { fmt, plural, type Dictionary } from '../i18n/index.js';
import { dayAndDate, daysUntil, formatTime } from '../lib/dates.js';

export interface TimetableRound {
  phase: string;
  phaseChangedAt?: string | null;
  /** When voting really closed (on time, or early by an officer); null until it has. */
  votingClosedAt?: string | null;
  schedule?: { votingOpensAt?: string | null; votingClosesAt?: string | null } | null;
}

export interface Timetable {
  /** The stage as residents see it: VOTING turns CLOSED once its closing time has passed. */
  phase: string;
  /** Voting is open now: the ballot can be offered. */
  votingOpen: boolean;
  /** "Voting is open." "Voting has closed. The votes are being counted." */
  status: string;
  /** "Voting closes at 5pm on Friday 12 December 2025." or when it closed or opens; '' when unknown. */
  when: string;
  /** "3 days left", "Voting closes today"; '' unless voting is open with a closing date. */
  left: string;
  /** For a table of key dates: when voting closes or closed, in words. */
  closesRow: string;
}

/** "{time} on {weekday} {date}" filled in for an instant. */
function at(template: string, iso: string, lang: string): string {
  return fmt(template, { time: formatTime(iso, lang), ...dayAndDate(iso, lang) });
}

/**
 * When voting closed, for a round past voting: the time it really closed
 * (an officer may close it earlier than scheduled), still true once it is
 * counted and published. Until the API has closed it (past its closing
 * time, not yet closed), the scheduled time; failing both, when a round
 * still CLOSED changed phase.
 */
function closedTime(round: TimetableRound, closesAt: string | null, passed: boolean, phase: string): string | null {
  if (round.votingClosedAt) return round.votingClosedAt;
  if (closesAt && passed) return closesAt;
  return phase === 'CLOSED' && round.phase === 'CLOSED' ? (round.phaseChangedAt ?? null) : null;
}

/** The round's timetable in the page's language. */
export function timetable(t: Dictionary, lang: string, round: TimetableRound, now: Date = new Date()): Timetable {
  const closesAt = round.schedule?.votingClosesAt ?? null;
  const opensAt = round.schedule?.votingOpensAt ?? null;
  const passed = closesAt !== null && new Date(closesAt).getTime() <= now.getTime();
  const phase = round.phase === 'VOTING' && passed ? 'CLOSED' : round.phase;
  const votingOpen = phase === 'VOTING';
  const closedPhase = ['CLOSED', 'COUNTED', 'PUBLISHED'].includes(phase);
  const closedAt = closedPhase ? closedTime(round, closesAt, passed, phase) : null;
  let when = '';
  let left = '';
  if (votingOpen) {
    if (closesAt) {
      when = at(t.timetable.closesAt, closesAt, lang);
      const days = daysUntil(closesAt, now) ?? 0;
      left = days <= 0 ? t.timetable.closesToday : plural(lang, t.timetable.daysLeft, days);
    } else {
      when = t.timetable.closesUnknown;
    }
  } else if (closedAt) {
    when = at(t.timetable.closedAt, closedAt, lang);
  } else if (['DRAFT', 'BIDS_OPEN', 'BID_REVIEW'].includes(phase) && opensAt) {
    when = at(t.timetable.opensAt, opensAt, lang);
  }
  const closesRow = closedAt
    ? at(t.timetable.dateRow, closedAt, lang)
    : closedPhase
      ? t.timetable.closedRow
      : closesAt
        ? at(t.timetable.dateRow, closesAt, lang)
        : t.round.notScheduled;
  return { phase, votingOpen, status: t.timetable.status[phase] ?? '', when, left, closesRow };
}

/** An instant as the key dates table writes it ("5pm on Friday 12 December 2025"), or "To be announced". */
export function dateRow(t: Dictionary, lang: string, iso: string | null | undefined): string {
  return iso ? at(t.timetable.dateRow, iso, lang) : t.round.notScheduled;
}

/** What residents read about a bid's status: plain words, by the round's stage. */
export function bidStatusText(t: Dictionary, status: string, phase: string): string {
  if (status === 'ELIGIBLE') {
    if (phase === 'VOTING') return t.bids.plain.onBallot ?? '';
    return (['CLOSED', 'COUNTED', 'PUBLISHED'].includes(phase) ? t.bids.plain.was : t.bids.plain.soon) ?? '';
  }
  return t.bids.plain[status] ?? t.bidStatus[status as keyof Dictionary['bidStatus']] ?? status;
}
