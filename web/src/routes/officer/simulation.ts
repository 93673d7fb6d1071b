// The rule simulator (officers, councillors, admins): count a round's
// sealed ballots, or an uploaded pabulib file, under up to three rules side
// by side, each with council rules of its own. Nothing is stored; the API
// decides who may see which round's ballots and refuses residents. Unlike
// the other staff pages (renderStaff, in English), these follow the page's
// language: every word is in the dictionaries' `simulator`.
import { Router, type Request, type Response } from 'express';
import { SimulateCountDocument } from '../../graphql/generated/graphql.js';
import { allAreas, loadRound } from '../../graphql/load.js';
import { addApiError } from '../../forms/api-error.js';
import type { Round } from '../../forms/rounds.js';
import { NEW_SIM_VALUES, SIM_RULES, SIM_SLOTS, askedRules, hasConstraintValues, mayCompareRules, parseSimulation, simulationApiErrors, simValuesForRound, simValuesFrom, type SimValues } from '../../forms/simulation.js';
import { fmt, type Dictionary } from '../../i18n/index.js';
import type { FormErrors } from '../../lib/forms.js';
import { formStatus } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { simulationView } from '../../view-models/simulation.js';

interface PageState {
  values: SimValues;
  errors?: FormErrors;
  pots?: ReturnType<typeof simulationView>;
}

/** The page's dictionary (http/locals.ts), from the language switch or its cookie. */
function words(res: Response): Dictionary {
  return res.locals.t as Dictionary;
}

/** The simulator's page in the page's language: the staff section of the navigation, and no English-only `lang` on the main content. */
function simulatorPage(res: Response, state: PageState, round?: Round) {
  const s = words(res).simulator;
  res.status(formStatus(state.errors)).render('staff/simulate', {
    navSection: 'officer',
    pageTitle: round ? fmt(s.titleRound, { round: round.title }) : s.titleFile,
    round,
    action: round ? `/officer/rounds/${round.id}/compare` : '/officer/simulator',
    rules: SIM_RULES,
    // A rule's council rules show open when any is given (a field with an error always is).
    slots: SIM_SLOTS.map((n) => ({ n, open: hasConstraintValues(state.values, n) })),
    values: state.values,
    errors: state.errors,
    pots: state.pots,
    columnClass: 'govuk-grid-column-full',
    backLink: round ? `/officer/rounds/${round.id}` : '/officer',
  });
}

/** Counts the posted comparison, then shows it with the form again, or the form with its errors. */
async function compare(req: Request, res: Response, round?: Round) {
  const t = words(res);
  const values = simValuesFrom(req.body);
  const areas = round ? await allAreas(req) : [];
  const { errors, input } = parseSimulation(values, round ? { roundId: round.id, areas } : { file: req.file }, t);
  if (input) {
    try {
      const { simulateCount } = await req.api.request(SimulateCountDocument, { input }, ctx(req));
      // A round's area limits name areas by id; a file's by the names it gives them.
      const areaName = (key: string) => areas.find((a) => a.id === key)?.name ?? key;
      simulatorPage(res, { values, pots: simulationView(simulateCount, askedRules(values).map((r) => r.slot), areaName, t) }, round);
      return;
    } catch (e) {
      addApiError(errors, e, simulationApiErrors(values, !round));
    }
  }
  simulatorPage(res, { values, errors }, round);
}

/** The round in the address, when this person may compare rules on it now; otherwise the not-allowed page. */
async function roundToCompare(req: Request, res: Response): Promise<Round | null> {
  const round = await loadRound(req);
  if (mayCompareRules(round.phase, req.me?.roles ?? [])) return round;
  const t = res.locals.t;
  res.status(403).render('pages/error', { title: t.errors.notAllowedTitle, text: t.errors.notAllowedText });
  return null;
}

export function simulationRoutes() {
  const r = Router();

  // A pabulib file, uploaded in a multipart form read with its limits
  // before the CSRF check (http/bodies.ts).
  r.get('/officer/simulator', (req, res) => simulatorPage(res, { values: { ...NEW_SIM_VALUES } }));
  r.post('/officer/simulator', (req, res) => compare(req, res));

  // A round's own ballots, once voting has closed.
  r.get('/officer/rounds/:id/compare', async (req, res) => {
    const round = await roundToCompare(req, res);
    if (round) simulatorPage(res, { values: simValuesForRound(round, await allAreas(req)) }, round);
  });
  r.post('/officer/rounds/:id/compare', async (req, res) => {
    const round = await roundToCompare(req, res);
    if (round) await compare(req, res, round);
  });

  return r;
}
