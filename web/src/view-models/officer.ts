// What staff pages show, built from the API's answers. Pure, so each can be
// checked without a server.
import type { Phase, ReviewBidsQuery, Role, RoleHoldersQuery, RoundVerificationsQuery, VotingCodeBatchesQuery } from '../graphql/generated/graphql.js';
import { NEXT_PHASE } from '../forms/rounds.js';

export const REVIEW_STATUSES = ['SUBMITTED', 'ELIGIBLE', 'INELIGIBLE', 'CHANGES_REQUESTED', 'WITHDRAWN'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** The status a review list is filtered by, from the query string. */
export function reviewStatus(q: unknown): ReviewStatus | null {
  return REVIEW_STATUSES.find((s) => s === q) ?? null;
}

/** The cursor of the page asked for, from the query string. */
export function afterParam(q: unknown): string | null {
  return typeof q === 'string' && q ? q : null;
}

/** The review list: a page of bids, with links to the next page and back to the first. */
export function reviewPage(round: ReviewBidsQuery['round'], status: ReviewStatus | null, after: string | null) {
  const base = `/officer/rounds/${round.id}/bids${status ? `?status=${status}` : ''}`;
  const { pageInfo } = round.bids;
  const next = pageInfo.hasNextPage && pageInfo.endCursor ? `${base}${status ? '&' : '?'}after=${encodeURIComponent(pageInfo.endCursor)}` : null;
  return {
    pageTitle: `Review bids: ${round.title}`,
    round,
    bids: round.bids.nodes,
    status,
    statuses: REVIEW_STATUSES,
    next,
    first: after ? base : null,
    backLink: `/officer/rounds/${round.id}`,
  };
}

/** A role's name in a staff page's sentence ("the officer role"). */
export const ROLE_NAMES: Record<Role, string> = { OFFICER: 'officer', COUNCILLOR: 'councillor', ADMIN: 'admin' };

type RoleHolder = RoleHoldersQuery['roleHolders']['nodes'][number];

/**
 * One person on the roles page: their name (or that they have given none),
 * each role with the address of its confirmation page to take it away, and
 * whether they have signed in yet.
 */
export function roleHolderRow(holder: RoleHolder, myId: string | undefined) {
  const name = holder.displayName?.trim() || null;
  return {
    id: holder.id,
    name,
    isYou: holder.id === myId,
    /** Who a link or a question is about, when there is no name: the account's number tells two such people apart. */
    who: name ?? `the person with no name (account ${holder.id})`,
    hasSignedIn: holder.hasSignedIn,
    roles: holder.roles.map((role) => ({ role, name: ROLE_NAMES[role], removeHref: `/officer/roles/${encodeURIComponent(holder.id)}/${role.toLowerCase()}/remove` })),
  };
}

/** The roles page: a page of the people who hold a role, with links to the next page and back to the first. */
export function rolesPage(holders: RoleHoldersQuery['roleHolders'], after: string | null, myId: string | undefined) {
  const base = '/officer/roles';
  const { pageInfo } = holders;
  return {
    holders: holders.nodes.map((h) => roleHolderRow(h, myId)),
    next: pageInfo.hasNextPage && pageInfo.endCursor ? `${base}?after=${encodeURIComponent(pageInfo.endCursor)}` : null,
    first: after ? base : null,
  };
}

/** How many people asked to vote, how many are verified and how many are held for a check. */
export function verificationCounts(all: RoundVerificationsQuery['verifications']['nodes']) {
  return { total: all.length, verified: all.filter((v) => v.verified).length, held: all.filter((v) => v.held).length };
}

/**
 * One of a batch's voting-code files, to download: the letters to print
 * (PDF) or the file for a print supplier (CSV). The name tells batches
 * apart by the start of the batch's id.
 */
export function letterFile(roundId: string, batchId: string, format: 'pdf' | 'csv', letters: { csv?: string; pdfBase64?: string }) {
  const stem = `round-${roundId}-batch-${batchId.slice(0, 8)}`;
  return format === 'csv'
    ? { name: `voting-codes-${stem}.csv`, type: 'text/csv; charset=utf-8', body: (letters.csv ?? '') as string | Buffer }
    : { name: `voting-code-letters-${stem}.pdf`, type: 'application/pdf', body: Buffer.from(letters.pdfBase64 ?? '', 'base64') as string | Buffer };
}

/** "1 letter", "12 letters". */
export function lettersCount(n: number): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'letter' : 'letters'}`;
}

/** "1 letter was posted", "12 letters were posted": how many GOV.UK Notify took. */
export function postedText(n: number): string {
  return `${lettersCount(n)} ${n === 1 ? 'was' : 'were'} posted`;
}

/** The letters page of a round, and the page of one of its batches. */
export const lettersHref = (roundId: string) => `/officer/rounds/${roundId}/letters`;
export const batchHref = (roundId: string, batchId: string) => `${lettersHref(roundId)}/batches/${batchId}`;

/** A kept batch of letters as its pages show it: how many, and where to download them, post them or say they are printed. */
export function letterBatch(roundId: string, batch: VotingCodeBatchesQuery['votingCodeBatches']['nodes'][number]) {
  const count = lettersCount(batch.letters);
  return {
    ...batch,
    count,
    /** "12 letters are ready". */
    heading: `${count} ${batch.letters === 1 ? 'is' : 'are'} ready`,
    /** The question on the page where the officer says they are printed. */
    printedQuestion: `Are you sure ${batch.letters === 1 ? 'the letter is' : `the ${count} are`} printed or with the print supplier?`,
    /** The question on the page where the officer posts them through GOV.UK Notify. */
    postQuestion: `Are you sure you want to post ${batch.letters === 1 ? 'the letter' : `the ${count}`} through GOV.UK Notify?`,
    href: batchHref(roundId, batch.id),
    printedHref: `${batchHref(roundId, batch.id)}/printed`,
    postHref: `${batchHref(roundId, batch.id)}/post`,
  };
}

/** What each move of a round says on its confirmation page. A round never goes back a phase. */
const MOVES: Partial<Record<Phase, { title: string; button: string; warning: boolean; happens: string[] }>> = {
  BIDS_OPEN: {
    title: 'Are you sure you want to open the round for bids?',
    button: 'Open the round for bids',
    warning: false,
    happens: ['community groups can send bids for the round', 'the pots cannot be changed after this', 'the round cannot go back to being a draft'],
  },
  BID_REVIEW: {
    title: 'Are you sure you want to close the round for bids?',
    button: 'Close the round for bids',
    warning: false,
    happens: ['groups cannot send bids any more', 'you decide on each bid sent before voting opens'],
  },
  VOTING: {
    title: 'Are you sure you want to open voting?',
    button: 'Open voting',
    warning: false,
    happens: ['residents can vote on the bids you accepted', 'the ballot settings and the counting rule cannot be changed after this'],
  },
  CLOSED: {
    title: 'Are you sure you want to close voting?',
    button: 'Close voting',
    warning: true,
    happens: ['nobody can vote or change their vote after this', 'the votes are sealed and counted straight away', 'a councillor then checks the result and publishes it'],
  },
  CANCELLED: {
    title: 'Are you sure you want to cancel the round?',
    button: 'Cancel the round',
    warning: true,
    happens: ['the round stops for good: nobody can send a bid or vote in it', 'nothing is counted and no result is published'],
  },
};

/** A phase in a page's address: `voting`, `bids-open`. */
export function phasePath(phase: Phase): string {
  return phase.toLowerCase().replace(/_/g, '-');
}

/**
 * The confirmation page of moving a round from `phase` to the phase in the
 * address, or null when that is not a move an officer makes from here
 * (publishing has a page of its own).
 */
export function phaseMove(roundId: string, phase: Phase, param: unknown) {
  const to = (Object.keys(MOVES) as Phase[]).find((p) => phasePath(p) === param);
  const move = to && MOVES[to];
  if (!to || !move) return null;
  const allowed = to === 'CANCELLED' ? !['PUBLISHED', 'CANCELLED'].includes(phase) : NEXT_PHASE[phase] === to;
  if (!allowed) return null;
  return { to, action: `/officer/rounds/${roundId}/move/${phasePath(to)}`, ...move };
}
