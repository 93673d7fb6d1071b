// Proving that you may vote: which ways the method page offers. Pure.
import type { VerificationMethod } from '../graphql/generated/graphql.js';

/**
 * The ways the method page offers: those the round accepts, but not the
 * postcode (given with your details), a proof you have already given, or
 * the council's register when the round has none to check (the check could
 * only fail).
 */
export function offeredMethods(
  round: { eligibility: { methods: readonly VerificationMethod[] }; registerAvailable: boolean },
  given: readonly VerificationMethod[] = [],
): VerificationMethod[] {
  return round.eligibility.methods.filter((m) => m !== 'POSTCODE' && !given.includes(m) && (m !== 'REGISTER' || round.registerAvailable));
}
