// Reads that several pages share: a round, every area, a round's result
// for the staff round page.
import type { Request } from 'express';
import { ctx } from '../http/request.js';
import { GroupAreasDocument, RoundPageDocument, StaffRoundResultDocument } from './generated/graphql.js';
import { allPages } from './pages.js';
import { resultView } from '../view-models/results.js';

/** The round named in the address (`:id`). */
export async function loadRound(req: Request) {
  return (await req.api.request(RoundPageDocument, { id: String(req.params.id) }, ctx(req))).round;
}

/** Every area's id and name. */
export function allAreas(req: Request) {
  return allPages(async (after) => (await req.api.request(GroupAreasDocument, { after }, ctx(req))).areas);
}

/** The staff round page's result section: the count's state and what this person may do with it. */
export async function staffResultLocals(req: Request, roundId: string, phase: string) {
  if (!['CLOSED', 'COUNTED', 'PUBLISHED'].includes(phase)) return {};
  const data = await req.api.request(StaffRoundResultDocument, { roundId }, ctx(req));
  return {
    countError: data.round.countError ?? null,
    versions: data.resultVersions,
    ...(data.roundResult ? resultView(data.roundResult) : {}),
  };
}
