// The close checkpoint on a round's page and its results page, and the
// form to get it by email while voting is still to close. Pure.
import type { Phase } from '../graphql/generated/graphql.js';

/** The council's public key, served by the API (forwarded at the demo's one address: http/proxy.ts). */
export const SIGNING_KEY_PATH = '/.well-known/fairshare-signing-key';

/** The phases in which voting is still to close: you can still ask for the checkpoint by email. */
const BEFORE_CLOSE: readonly Phase[] = ['DRAFT', 'BIDS_OPEN', 'BID_REVIEW', 'VOTING'];

/** Hex, as the API writes hashes and signatures; anything else is not shown as one. */
const HEX = /^[0-9a-f]+$/i;

export interface CloseCheckpointView {
  checkpoint: string;
  signature: string | null;
  keyHref: string;
  /** The command that checks the published bundle against it. */
  command: string;
}

/** What the "Close checkpoint" section shows, or null before voting has closed. */
export function closeCheckpoint(round: { closeCheckpoint?: string | null; closeCheckpointSignature?: string | null }): CloseCheckpointView | null {
  const checkpoint = round.closeCheckpoint?.trim();
  if (!checkpoint || !HEX.test(checkpoint)) return null;
  const signature = round.closeCheckpointSignature?.trim();
  return {
    checkpoint,
    signature: signature && HEX.test(signature) ? signature : null,
    keyHref: SIGNING_KEY_PATH,
    command: `tally verify bundle.tar --checkpoint ${checkpoint}`,
  };
}

/**
 * What the round's page offers about getting the checkpoint by email: a
 * link to sign in, the form, or that you already asked (with "Stop"); null
 * once voting has closed, or for a cancelled round, which never will.
 */
export type ObserveOffer = 'sign-in' | 'form' | 'observing' | null;

export function observeOffer(round: { phase: Phase; observing: boolean }, signedIn: boolean): ObserveOffer {
  if (!BEFORE_CLOSE.includes(round.phase)) return null;
  if (!signedIn) return 'sign-in';
  return round.observing ? 'observing' : 'form';
}
