// Rounds: setting one up, its page, changing it, moving it to its next phase
// or cancelling it, each after a confirmation page (a round never goes back).
import { Router, type Request, type Response } from 'express';
import { AdvanceRoundDocument, BidCategoriesDocument, CreateRoundDocument, RoundParticipationShownDocument, UpdateRoundDocument, UpdateRoundSettingsDocument } from '../../graphql/generated/graphql.js';
import { allAreas, loadRound, staffResultLocals } from '../../graphql/load.js';
import { addApiError } from '../../forms/api-error.js';
import {
  BALLOT_KINDS,
  METHODS,
  NEW_ROUND_VALUES,
  NEXT_PHASE,
  RELATIONS,
  RULES,
  areaFields,
  categoryFields,
  parseRound,
  roundFieldOf,
  roundUpdate,
  roundValuesFrom,
  roundValuesOf,
  staffFieldOf,
  withFixedValues,
  type Round,
  type RoundValues,
} from '../../forms/rounds.js';
import { mayCompareRules } from '../../forms/simulation.js';
import { FormErrors } from '../../lib/forms.js';
import { setFlash } from '../../lib/flash.js';
import { formStatus, renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { phaseMove, phasePath } from '../../view-models/officer.js';

const apiErrors = { field: 'title', fieldOf: staffFieldOf, every: true };
/** The round form's refusals: the counting rule's beside the council rules when the form gives some. */
const roundApiErrors = (values: RoundValues) => ({ ...apiErrors, fieldOf: roundFieldOf(values) });

/** What the round form lists: every area (for pots and area limits) and the bid categories. */
async function formLists(req: Request) {
  const [areas, { bidCategories }] = await Promise.all([allAreas(req), req.api.request(BidCategoriesDocument, {}, ctx(req))]);
  return { areas, areaIds: areas.map((a) => a.id), areaNames: Object.fromEntries(areas.map((a) => [a.id, a.name])), categories: bidCategories };
}

async function roundForm(req: Request, res: Response, values: RoundValues, errors?: FormErrors, round?: Round) {
  const { areas, categories } = await formLists(req);
  renderStaff(
    res,
    'staff/round-form',
    {
      pageTitle: round ? 'Change the round' : 'Set up a funding round',
      areas,
      categoryFields: categoryFields(categories),
      areaFields: areaFields(areas),
      values,
      errors,
      round,
      kinds: BALLOT_KINDS,
      rules: RULES,
      methods: METHODS,
      relations: RELATIONS,
      backLink: '/officer',
    },
    formStatus(errors),
  );
}

/** Whether this person may see who is taking part in the round now (from the opening of voting). */
async function participationShown(req: Request, round: Round): Promise<boolean> {
  if (!['VOTING', 'CLOSED', 'COUNTED', 'PUBLISHED'].includes(round.phase)) return false;
  return Boolean((await req.api.request(RoundParticipationShownDocument, { roundId: round.id }, ctx(req))).round.participation);
}

async function roundPage(req: Request, res: Response, round: Round) {
  const [results, participation] = await Promise.all([staffResultLocals(req, round.id, round.phase), participationShown(req, round)]);
  const mayCompare = mayCompareRules(round.phase, req.me?.roles ?? []);
  const next = NEXT_PHASE[round.phase];
  renderStaff(res, 'staff/round', { pageTitle: round.title, round, next, nextHref: next && `/officer/rounds/${round.id}/move/${phasePath(next)}`, cancelHref: `/officer/rounds/${round.id}/move/${phasePath('CANCELLED')}`, mayCompare, participation, ...results, backLink: '/officer' });
}

/** The confirmation page of a move, with the API's refusal when it refused. */
function showMove(res: Response, round: Round, move: NonNullable<ReturnType<typeof phaseMove>>, errors?: FormErrors) {
  renderStaff(res, 'staff/round-move', { pageTitle: move.title, round, move, errors, backLink: `/officer/rounds/${round.id}` }, formStatus(errors));
}

export function roundRoutes() {
  const r = Router();

  r.get('/officer/rounds/new', (req, res) => roundForm(req, res, { ...NEW_ROUND_VALUES }));
  r.post('/officer/rounds/new', async (req, res) => {
    const { areaIds, areaNames, categories } = await formLists(req);
    const values = roundValuesFrom(req.body, areaIds, categories);
    const errors = new FormErrors();
    const input = parseRound(values, areaIds, errors, categories, areaNames);
    if (!errors.any) {
      try {
        const { createRound } = await req.api.request(CreateRoundDocument, { input }, ctx(req));
        setFlash(res, 'officer.roundSaved');
        res.redirect(303, `/officer/rounds/${createRound.id}`);
        return;
      } catch (e) {
        addApiError(errors, e, roundApiErrors(values));
      }
    }
    await roundForm(req, res, values, errors);
  });

  r.get('/officer/rounds/:id', async (req, res) => roundPage(req, res, await loadRound(req)));

  r.get('/officer/rounds/:id/edit', async (req, res) => {
    const round = await loadRound(req);
    await roundForm(req, res, roundValuesOf(round), undefined, round);
  });
  r.post('/officer/rounds/:id/edit', async (req, res) => {
    const round = await loadRound(req);
    const { areaIds, areaNames, categories } = await formLists(req);
    const values = withFixedValues(roundValuesFrom(req.body, areaIds, categories), round);
    const errors = new FormErrors();
    const parsed = parseRound(values, areaIds, errors, categories, areaNames);
    if (!errors.any) {
      try {
        await req.api.request(UpdateRoundDocument, roundUpdate(round, parsed), ctx(req));
        if (!round.settingsFrozen) {
          await req.api.request(UpdateRoundSettingsDocument, { id: round.id, ballot: parsed.ballot, countingRule: parsed.countingRule }, ctx(req));
        }
        setFlash(res, 'officer.roundSaved');
        res.redirect(303, `/officer/rounds/${round.id}`);
        return;
      } catch (e) {
        addApiError(errors, e, roundApiErrors(values));
      }
    }
    await roundForm(req, res, values, errors, round);
  });

  // Moving the round on, or cancelling it: nothing changes until the confirmation page's button.
  r.get('/officer/rounds/:id/move/:to', async (req, res) => {
    const round = await loadRound(req);
    const move = phaseMove(round.id, round.phase, req.params.to);
    if (!move) {
      res.redirect(303, `/officer/rounds/${round.id}`);
      return;
    }
    showMove(res, round, move);
  });
  r.post('/officer/rounds/:id/move/:to', async (req, res) => {
    const round = await loadRound(req);
    const move = phaseMove(round.id, round.phase, req.params.to);
    if (!move) {
      res.redirect(303, `/officer/rounds/${round.id}`);
      return;
    }
    try {
      await req.api.request(AdvanceRoundDocument, { id: round.id, to: move.to }, ctx(req));
      setFlash(res, move.to === 'CANCELLED' ? 'officer.roundCancelled' : 'officer.phaseChanged');
      res.redirect(303, `/officer/rounds/${round.id}`);
    } catch (e) {
      // Refused (bids not all decided, say): the API's reason, on the confirmation page.
      showMove(res, round, move, addApiError(new FormErrors(), e, { ...apiErrors, field: 'move' }));
    }
  });

  return r;
}
