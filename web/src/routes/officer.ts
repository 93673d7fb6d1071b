// Staff pages (in English): areas, rounds and their settings, reviewing
// bids, the register, in-person verification; councillors publish.
import { Router, type Request, type Response } from 'express';
import { ctx, requireOfficer } from '../app.js';
import { ApiError } from '../graphql/client.js';
import {
  AdvanceRoundDocument,
  AreaEditDocument,
  CreateAreaDocument,
  CreateRoundDocument,
  GroupAreasDocument,
  ImportRegisterDocument,
  IssueVotingCodesDocument,
  OfficerAreasDocument,
  OfficerRoundsDocument,
  RoundConflictsDocument,
  RecordInPersonVerificationDocument,
  ResolveVerificationConflictDocument,
  ReviewBidDocument,
  ReviewBidsDocument,
  RoundPageDocument,
  RoundVerificationsDocument,
  SetAreaCoverageDocument,
  UpdateAreaDocument,
  GrantRoleDocument,
  TurnoutDocument,
  UpdateRoundDocument,
  UpdateRoundSettingsDocument,
  type BallotKind,
  type BallotSettingsInput,
  type CountingRuleInput,
  type EligibilityInput,
  type Evidence,
  type Phase,
  type Relation,
  type ReviewDecision,
  type ScheduleInput,
  type VerificationMethod,
} from '../graphql/generated/graphql.js';
import { dictionaries } from '../i18n/index.js';
import { allPages } from '../graphql/pages.js';
import { dateFromParts, instantFromLocal, localFromInstant } from '../lib/dates.js';
import { setFlash } from '../lib/flash.js';
import { FormErrors, str, strs } from '../lib/forms.js';
import { parsePounds, penceToInput } from '../lib/money.js';
import { staffResultLocals } from './results.js';

export const NEXT_PHASE: Partial<Record<Phase, Phase>> = {
  DRAFT: 'BIDS_OPEN',
  BIDS_OPEN: 'BID_REVIEW',
  BID_REVIEW: 'VOTING',
  VOTING: 'CLOSED',
  COUNTED: 'PUBLISHED',
};
export const BALLOT_KINDS: BallotKind[] = ['APPROVAL', 'KNAPSACK', 'RANKED', 'SCORING', 'POINTS_ALLOCATION', 'MONEY_ALLOCATION'];
export const RULES = ['greedy', 'greedy-no-skip', 'greedy-threshold', 'mes', 'mes-add1', 'mes-add1-no-early-stop', 'phragmen', 'borda', 'irv', 'stv-scottish'];
const METHODS: VerificationMethod[] = ['POSTCODE', 'SMS', 'EMAIL', 'REGISTER', 'IN_PERSON'];
const RELATIONS: Relation[] = ['LIVE', 'WORK', 'STUDY'];
const EVIDENCE: Evidence[] = ['PHOTO_ID', 'PROOF_OF_ADDRESS', 'COUNCIL_RECORD', 'PHONE_CALL_CHECKS', 'KNOWN_TO_OFFICER'];
const SCHEDULE_FIELDS = ['bidsOpenAt', 'bidsCloseAt', 'votingOpensAt', 'votingClosesAt'] as const;

function optInt(v: string): number | null {
  if (v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : Number.NaN;
}

function staff(res: Response, view: string, locals: Record<string, unknown>, status = 200) {
  res.status(status).render(view, { mainLang: 'en', navSection: 'officer', en: dictionaries.en, ...locals });
}

/** The API names some fields by their input's name; these are the form's ids for them. */
const FIELD_IDS: Record<string, string> = {
  eligibility: 'methods',
  methods: 'methods',
  relations: 'relations',
  minAge: 'minAge',
  ballot: 'kind',
  countingRule: 'rule',
  rule: 'rule',
  schedule: 'bidsOpenAt-date',
  coverage: 'coverage',
  title: 'title',
};

function apiError(errors: FormErrors, e: unknown, fallbackField: string) {
  if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
  for (const item of e.errors) errors.add((item.field && FIELD_IDS[item.field]) || fallbackField, item.message);
}

/** The round form's values, as typed. */
type RoundValues = Record<string, string | string[]>;

function roundValuesFrom(body: unknown, areaIds: string[]): RoundValues {
  const v: RoundValues = {};
  for (const k of ['title', 'description', 'kind', 'minChoices', 'maxChoices', 'scoreMin', 'scoreMax', 'pointsTotal', 'pointsMaxPerBid', 'rule', 'seed', 'minSupport', 'seats', 'rankPoints', 'minAge', 'postcodeAloneEnough', 'acceptLowAssurance']) {
    v[k] = str(body, k);
  }
  for (const f of SCHEDULE_FIELDS) {
    v[`${f}-date`] = str(body, `${f}-date`);
    v[`${f}-time`] = str(body, `${f}-time`);
  }
  for (const id of areaIds) v[`pot-${id}`] = str(body, `pot-${id}`);
  v.relations = strs(body, 'relations');
  v.methods = strs(body, 'methods');
  return v;
}

function parseRound(v: RoundValues, areaIds: string[], errors: FormErrors) {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  if (!s('title')) errors.add('title', 'Enter a title');
  const pots = areaIds
    .filter((id) => s(`pot-${id}`) !== '')
    .map((id) => {
      const pence = parsePounds(s(`pot-${id}`));
      if (pence === null) errors.add(`pot-${id}`, 'Enter the pot in pounds, like 25000');
      return { areaId: id, amountPence: pence ?? 0 };
    });
  if (pots.length === 0) errors.add(`pot-${areaIds[0] ?? 'x'}`, 'Give at least one area a pot');
  const kind = s('kind') as BallotKind;
  if (!BALLOT_KINDS.includes(kind)) errors.add('kind', 'Select the kind of ballot');
  const ints: Record<string, number | null> = {};
  for (const k of ['minChoices', 'maxChoices', 'scoreMin', 'scoreMax', 'pointsTotal', 'pointsMaxPerBid', 'minSupport', 'seats', 'minAge']) {
    const n = optInt(s(k));
    if (Number.isNaN(n)) errors.add(k, 'Enter a whole number');
    ints[k] = Number.isNaN(n) ? null : n;
  }
  const ballot: BallotSettingsInput = {
    kind,
    minChoices: ints.minChoices,
    maxChoices: ints.maxChoices,
    scoreMin: ints.scoreMin,
    scoreMax: ints.scoreMax,
    pointsTotal: ints.pointsTotal,
    pointsMaxPerBid: ints.pointsMaxPerBid,
  };
  if (!RULES.includes(s('rule'))) errors.add('rule', 'Select the counting rule');
  const rankPoints = s('rankPoints')
    ? s('rankPoints').split(/[\s,]+/).filter(Boolean).map(Number)
    : null;
  if (rankPoints?.some((n) => !Number.isInteger(n))) errors.add('rankPoints', 'Enter whole numbers separated by commas');
  const countingRule: CountingRuleInput = {
    name: s('rule'),
    seed: s('seed') || null,
    minSupport: ints.minSupport,
    seats: ints.seats,
    rankPoints,
  };
  const schedule: ScheduleInput = {};
  for (const f of SCHEDULE_FIELDS) {
    const date = s(`${f}-date`);
    const time = s(`${f}-time`) || '09:00';
    if (!date) {
      schedule[f] = null;
      continue;
    }
    const at = instantFromLocal(date, time);
    if (!at) errors.add(`${f}-date`, 'Enter a real date and time');
    schedule[f] = at;
  }
  const relations = (v.relations as string[]).filter((r): r is Relation => RELATIONS.includes(r as Relation));
  const methods = (v.methods as string[]).filter((m): m is VerificationMethod => METHODS.includes(m as VerificationMethod));
  if (relations.length === 0) errors.add('relations', 'Select who may take part');
  if (methods.length === 0) errors.add('methods', 'Select at least one way to prove it');
  const eligibility: EligibilityInput = {
    relations,
    methods,
    minAge: ints.minAge,
    postcodeAloneEnough: s('postcodeAloneEnough') === 'yes',
    acceptLowAssurance: s('acceptLowAssurance') === 'yes',
  };
  return { title: s('title'), description: s('description'), pots, ballot, countingRule, schedule, eligibility };
}

export function officerRoutes() {
  const r = Router();
  r.use('/officer', requireOfficer);

  const areaNames = (req: Request) => allPages(async (after) => (await req.api.request(GroupAreasDocument, { after }, ctx(req))).areas);

  r.get('/officer', async (req, res) => {
    const [rounds, areas] = await Promise.all([
      allPages(async (after) => (await req.api.request(OfficerRoundsDocument, { after }, ctx(req))).rounds),
      allPages(async (after) => (await req.api.request(OfficerAreasDocument, { after }, ctx(req))).areas),
    ]);
    staff(res, 'staff/home', { pageTitle: 'Staff pages', rounds, areas });
  });

  // Areas
  r.get('/officer/areas/new', (req, res) => staff(res, 'staff/area-form', { pageTitle: 'Set up an area', values: {}, backLink: '/officer' }));
  r.post('/officer/areas/new', async (req, res) => {
    const values = { name: str(req.body, 'name'), kind: str(req.body, 'kind'), description: str(req.body, 'description'), coverage: str(req.body, 'coverage') };
    const errors = new FormErrors();
    if (!values.name) errors.add('name', 'Enter the area’s name');
    if (!values.kind) errors.add('kind', 'Select what kind of area it is');
    const coverage = values.coverage.split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean);
    if (coverage.length === 0) errors.add('coverage', 'Enter at least one postcode, sector or district');
    if (!errors.any) {
      try {
        await req.api.request(CreateAreaDocument, { input: { name: values.name, kind: values.kind, description: values.description, coverage } }, ctx(req));
        setFlash(res, 'officer.areaSaved');
        res.redirect(303, '/officer');
        return;
      } catch (e) {
        apiError(errors, e, 'coverage');
      }
    }
    staff(res, 'staff/area-form', { pageTitle: 'Set up an area', values, errors, backLink: '/officer' }, 400);
  });
  const loadArea = async (req: Request) => {
    const id = String(req.params.id);
    const { area } = await req.api.request(AreaEditDocument, { id }, ctx(req));
    const coverage = [...area.coverage.nodes];
    if (area.coverage.pageInfo.hasNextPage && area.coverage.pageInfo.endCursor) {
      coverage.push(...(await allPages(async (after) => (await req.api.request(AreaEditDocument, { id, after }, ctx(req))).area.coverage, area.coverage.pageInfo.endCursor)));
    }
    return { id: area.id, name: area.name, kind: area.kind, description: area.description, coverage };
  };
  r.get('/officer/areas/:id', async (req, res) => {
    const area = await loadArea(req);
    staff(res, 'staff/area-form', { pageTitle: `Change ${area.name}`, area, values: { ...area, coverage: area.coverage.join('\n') }, backLink: '/officer' });
  });
  r.post('/officer/areas/:id', async (req, res) => {
    const area = await loadArea(req);
    const coverageText = str(req.body, 'coverage');
    const coverage = coverageText.split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean);
    const details = { name: str(req.body, 'name'), kind: str(req.body, 'kind'), description: str(req.body, 'description') };
    const errors = new FormErrors();
    if (!details.name) errors.add('name', 'Enter the area’s name');
    if (coverage.length === 0) errors.add('coverage', 'Enter at least one postcode, sector or district');
    if (!errors.any) {
      try {
        if (details.name !== area.name || details.kind !== area.kind || details.description !== area.description) {
          await req.api.request(UpdateAreaDocument, { areaId: area.id, input: details }, ctx(req));
        }
        if (coverage.join('\n') !== area.coverage.join('\n')) {
          await req.api.request(SetAreaCoverageDocument, { areaId: area.id, coverage }, ctx(req));
        }
        setFlash(res, 'officer.areaSaved');
        res.redirect(303, '/officer');
        return;
      } catch (e) {
        apiError(errors, e, 'coverage');
      }
    }
    staff(res, 'staff/area-form', { pageTitle: `Change ${area.name}`, area, values: { ...details, coverage: coverageText }, errors, backLink: '/officer' }, 400);
  });

  // Roles: admins grant and take away staff roles.
  r.get('/officer/roles', (req, res) => staff(res, 'staff/roles', { pageTitle: 'Give someone a role', values: {}, backLink: '/officer' }));
  r.post('/officer/roles', async (req, res) => {
    const values = { email: str(req.body, 'email'), role: str(req.body, 'role') };
    const errors = new FormErrors();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.add('email', 'Enter their email address, like name@example.com');
    if (!['OFFICER', 'COUNCILLOR', 'ADMIN'].includes(values.role)) errors.add('role', 'Select a role');
    if (!errors.any) {
      try {
        const { grantRole } = await req.api.request(GrantRoleDocument, { email: values.email, role: values.role as 'OFFICER' }, ctx(req));
        staff(res, 'staff/roles', { pageTitle: 'Give someone a role', values: {}, granted: { role: values.role, roles: grantRole.roles }, backLink: '/officer' });
        return;
      } catch (e) {
        apiError(errors, e, 'email');
      }
    }
    staff(res, 'staff/roles', { pageTitle: 'Give someone a role', values, errors, backLink: '/officer' }, 400);
  });

  // Rounds
  const roundForm = async (req: Request, res: Response, values: RoundValues, errors?: FormErrors, round?: unknown) => {
    const areas = await areaNames(req);
    staff(
      res,
      'staff/round-form',
      { pageTitle: round ? 'Change the round' : 'Set up a funding round', areas, values, errors, round, kinds: BALLOT_KINDS, rules: RULES, methods: METHODS, relations: RELATIONS, backLink: '/officer' },
      errors?.any ? 400 : 200,
    );
  };
  r.get('/officer/rounds/new', (req, res) =>
    roundForm(req, res, { kind: 'APPROVAL', rule: 'mes-add1', relations: ['LIVE'], methods: ['REGISTER', 'IN_PERSON'], postcodeAloneEnough: 'no', acceptLowAssurance: 'no' }),
  );
  r.post('/officer/rounds/new', async (req, res) => {
    const ids = (await areaNames(req)).map((a) => a.id);
    const values = roundValuesFrom(req.body, ids);
    const errors = new FormErrors();
    const parsed = parseRound(values, ids, errors);
    if (!errors.any) {
      try {
        const { createRound } = await req.api.request(
          CreateRoundDocument,
          { input: { title: parsed.title, description: parsed.description, pots: parsed.pots, schedule: parsed.schedule, ballot: parsed.ballot, countingRule: parsed.countingRule, eligibility: parsed.eligibility } },
          ctx(req),
        );
        setFlash(res, 'officer.roundSaved');
        res.redirect(303, `/officer/rounds/${createRound.id}`);
        return;
      } catch (e) {
        apiError(errors, e, 'title');
      }
    }
    await roundForm(req, res, values, errors);
  });

  r.get('/officer/rounds/:id', async (req, res) => {
    const data = await req.api.request(RoundPageDocument, { id: String(req.params.id) }, ctx(req));
    const results = await staffResultLocals(req, data.round.id, data.round.phase);
    staff(res, 'staff/round', { pageTitle: data.round.title, round: data.round, next: NEXT_PHASE[data.round.phase], ...results, backLink: '/officer' });
  });

  const roundValuesOf = (round: Awaited<ReturnType<typeof loadRound>>): RoundValues => {
    const v: RoundValues = {
      title: round.title,
      description: round.description,
      kind: round.ballot.kind,
      rule: round.countingRule.name,
      seed: round.countingRule.seed ?? '',
      rankPoints: round.countingRule.rankPoints?.join(', ') ?? '',
      relations: round.eligibility.relations,
      methods: round.eligibility.methods,
      postcodeAloneEnough: round.eligibility.postcodeAloneEnough ? 'yes' : 'no',
      acceptLowAssurance: round.eligibility.acceptLowAssurance ? 'yes' : 'no',
    };
    for (const k of ['minChoices', 'maxChoices', 'scoreMin', 'scoreMax', 'pointsTotal', 'pointsMaxPerBid'] as const) v[k] = round.ballot[k]?.toString() ?? '';
    for (const k of ['minSupport', 'seats'] as const) v[k] = round.countingRule[k]?.toString() ?? '';
    v.minAge = round.eligibility.minAge?.toString() ?? '';
    for (const f of SCHEDULE_FIELDS) {
      const { date, time } = localFromInstant(round.schedule[f]);
      v[`${f}-date`] = date;
      v[`${f}-time`] = time;
    }
    for (const p of round.pots) v[`pot-${p.area.id}`] = penceToInput(p.amountPence);
    return v;
  };
  const loadRound = async (req: Request) => (await req.api.request(RoundPageDocument, { id: String(req.params.id) }, ctx(req))).round;

  r.get('/officer/rounds/:id/edit', async (req, res) => {
    const round = await loadRound(req);
    await roundForm(req, res, roundValuesOf(round), undefined, round);
  });
  r.post('/officer/rounds/:id/edit', async (req, res) => {
    const round = await loadRound(req);
    const ids = (await areaNames(req)).map((a) => a.id);
    const values = roundValuesFrom(req.body, ids);
    // Disabled fields are not posted: keep what the round has.
    const current = roundValuesOf(round);
    for (const [k, v] of Object.entries(current)) {
      const isPot = k.startsWith('pot-');
      const isSetting = !['title', 'description'].includes(k) && !k.endsWith('-date') && !k.endsWith('-time') && !isPot;
      if ((isPot && round.phase !== 'DRAFT') || (isSetting && round.settingsFrozen)) values[k] = v;
    }
    const errors = new FormErrors();
    const parsed = parseRound(values, ids, errors);
    if (!errors.any) {
      try {
        await req.api.request(
          UpdateRoundDocument,
          {
            id: round.id,
            input: {
              title: parsed.title,
              description: parsed.description,
              schedule: parsed.schedule,
              pots: round.phase === 'DRAFT' ? parsed.pots : null,
              eligibility: round.settingsFrozen ? null : parsed.eligibility,
            },
          },
          ctx(req),
        );
        if (!round.settingsFrozen) {
          await req.api.request(UpdateRoundSettingsDocument, { id: round.id, ballot: parsed.ballot, countingRule: parsed.countingRule }, ctx(req));
        }
        setFlash(res, 'officer.roundSaved');
        res.redirect(303, `/officer/rounds/${round.id}`);
        return;
      } catch (e) {
        apiError(errors, e, 'title');
      }
    }
    await roundForm(req, res, values, errors, round);
  });

  r.post('/officer/rounds/:id/advance', async (req, res) => {
    const to = str(req.body, 'to') as Phase;
    try {
      await req.api.request(AdvanceRoundDocument, { id: String(req.params.id), to }, ctx(req));
      setFlash(res, 'officer.phaseChanged');
      res.redirect(303, `/officer/rounds/${req.params.id}`);
    } catch (e) {
      const errors = new FormErrors();
      apiError(errors, e, 'advance');
      const round = await loadRound(req);
      const results = await staffResultLocals(req, round.id, round.phase);
      staff(res, 'staff/round', { pageTitle: round.title, round, next: NEXT_PHASE[round.phase], ...results, errors, backLink: '/officer' }, 400);
    }
  });

  // Reviewing bids
  const reviewPage = async (req: Request, res: Response, errors?: FormErrors, values: Record<string, string> = {}) => {
    const after = typeof req.query.after === 'string' && req.query.after ? req.query.after : null;
    const statuses = ['SUBMITTED', 'ELIGIBLE', 'INELIGIBLE', 'CHANGES_REQUESTED', 'WITHDRAWN'] as const;
    const status = statuses.find((s) => s === req.query.status) ?? null;
    const { round } = await req.api.request(ReviewBidsDocument, { id: String(req.params.id), status, after }, ctx(req));
    const base = `/officer/rounds/${round.id}/bids${status ? `?status=${status}` : ''}`;
    const next = round.bids.pageInfo.hasNextPage && round.bids.pageInfo.endCursor ? `${base}${status ? '&' : '?'}after=${encodeURIComponent(round.bids.pageInfo.endCursor)}` : null;
    staff(res, 'staff/review', { pageTitle: `Review bids: ${round.title}`, round, bids: round.bids.nodes, status, statuses, next, first: after ? base : null, errors, values, backLink: `/officer/rounds/${round.id}` }, errors?.any ? 400 : 200);
  };
  r.get('/officer/rounds/:id/bids', (req, res) => reviewPage(req, res));
  r.post('/officer/rounds/:id/bids/:bidId', async (req, res) => {
    const bidId = String(req.params.bidId);
    const decision = str(req.body, 'decision') as ReviewDecision;
    const reason = str(req.body, 'reason');
    const errors = new FormErrors();
    if (!['ELIGIBLE', 'INELIGIBLE', 'CHANGES_REQUESTED'].includes(decision)) errors.add(`decision-${bidId}`, 'Select a decision');
    else if (decision !== 'ELIGIBLE' && !reason) errors.add(`reason-${bidId}`, 'Give the group a reason');
    if (!errors.any) {
      try {
        await req.api.request(ReviewBidDocument, { id: bidId, decision, reason: reason || null }, ctx(req));
        setFlash(res, 'officer.reviewed');
        res.redirect(303, `/officer/rounds/${req.params.id}/bids`);
        return;
      } catch (e) {
        apiError(errors, e, `decision-${bidId}`);
      }
    }
    await reviewPage(req, res, errors, { [`decision-${bidId}`]: decision, [`reason-${bidId}`]: reason });
  });

  // The council's register
  r.get('/officer/rounds/:id/register', async (req, res) => {
    const round = await loadRound(req);
    staff(res, 'staff/register', { pageTitle: 'Import the register', round, values: { dateOfBirth: 'date_of_birth', postcode: 'postcode', fullName: 'full_name' }, backLink: `/officer/rounds/${round.id}` });
  });
  // The file comes in a multipart form, read with its limits before the
  // CSRF check (http/bodies.ts).
  r.post('/officer/rounds/:id/register', async (req, res) => {
    const round = await loadRound(req);
    const values = { fullName: str(req.body, 'fullName'), givenNames: str(req.body, 'givenNames'), familyName: str(req.body, 'familyName'), dateOfBirth: str(req.body, 'dateOfBirth'), postcode: str(req.body, 'postcode') };
    const errors = new FormErrors();
    if (!req.file) errors.add('file', 'Select a CSV file');
    if (!values.dateOfBirth) errors.add('dateOfBirth', 'Enter the column that holds the date of birth');
    if (!values.postcode) errors.add('postcode', 'Enter the column that holds the postcode');
    if (!values.fullName && !(values.givenNames && values.familyName)) errors.add('fullName', 'Enter the column for the full name, or the columns for given and family names');
    if (!errors.any && req.file) {
      try {
        const { importRegister } = await req.api.request(
          ImportRegisterDocument,
          {
            input: {
              roundId: round.id,
              content: req.file.buffer.toString('base64'),
              encoding: 'BASE64',
              columns: { fullName: values.fullName || null, givenNames: values.givenNames || null, familyName: values.familyName || null, dateOfBirth: values.dateOfBirth, postcode: values.postcode },
            },
          },
          ctx(req),
        );
        staff(res, 'staff/register-report', { pageTitle: 'Register imported', round, report: importRegister, backLink: `/officer/rounds/${round.id}` });
        return;
      } catch (e) {
        apiError(errors, e, 'file');
      }
    }
    staff(res, 'staff/register', { pageTitle: 'Import the register', round, values, errors, backLink: `/officer/rounds/${round.id}` }, 400);
  });

  // In person
  r.get('/officer/rounds/:id/in-person', async (req, res) => {
    const round = await loadRound(req);
    staff(res, 'staff/in-person', { pageTitle: 'Verify a resident in person', round, values: { relation: 'LIVE' }, evidence: EVIDENCE, relations: RELATIONS, backLink: `/officer/rounds/${round.id}` });
  });
  r.post('/officer/rounds/:id/in-person', async (req, res) => {
    const round = await loadRound(req);
    const values = {
      name: str(req.body, 'name'),
      day: str(req.body, 'dob-day'),
      month: str(req.body, 'dob-month'),
      year: str(req.body, 'dob-year'),
      postcode: str(req.body, 'postcode'),
      relation: str(req.body, 'relation'),
      evidence: str(req.body, 'evidence'),
      email: str(req.body, 'email'),
      phone: str(req.body, 'phone'),
    };
    const errors = new FormErrors();
    if (!values.name) errors.add('name', 'Enter the person’s full name');
    const dob = dateFromParts(values.day, values.month, values.year);
    if (!dob) errors.add('dob-day', 'Enter their date of birth, like 27 3 1980');
    if (!values.postcode) errors.add('postcode', 'Enter their postcode');
    if (!RELATIONS.includes(values.relation as Relation)) errors.add('relation', 'Select how they are connected to the area');
    if (!EVIDENCE.includes(values.evidence as Evidence)) errors.add('evidence', 'Select what you checked');
    if (!errors.any && dob) {
      try {
        const { recordInPersonVerification } = await req.api.request(
          RecordInPersonVerificationDocument,
          {
            roundId: round.id,
            input: {
              person: { name: values.name, dateOfBirth: dob, postcode: values.postcode, relation: values.relation as Relation },
              evidence: values.evidence as Evidence,
              email: values.email || null,
              phone: values.phone || null,
            },
          },
          ctx(req),
        );
        staff(res, 'staff/in-person-done', { pageTitle: 'Resident verified', round, verification: recordInPersonVerification });
        return;
      } catch (e) {
        apiError(errors, e, 'name');
      }
    }
    staff(res, 'staff/in-person', { pageTitle: 'Verify a resident in person', round, values, errors, evidence: EVIDENCE, relations: RELATIONS, backLink: `/officer/rounds/${round.id}` }, 400);
  });

  // Voting-code letters: the codes exist only in the file sent back, so the
  // file is the answer to the form.
  const sendFile = (res: Response, name: string, type: string, body: Buffer | string) => {
    res.set('Content-Type', type);
    res.set('Content-Disposition', `attachment; filename="${name}"`);
    res.set('Cache-Control', 'no-store');
    res.send(body);
  };
  r.get('/officer/rounds/:id/letters', async (req, res) => {
    const round = await loadRound(req);
    staff(res, 'staff/letters', { pageTitle: 'Voting-code letters', round, values: {}, backLink: `/officer/rounds/${round.id}` });
  });
  r.post('/officer/rounds/:id/letters', async (req, res) => {
    const round = await loadRound(req);
    const values = { format: str(req.body, 'format') };
    const errors = new FormErrors();
    if (values.format !== 'pdf' && values.format !== 'csv') errors.add('format', 'Select what you need');
    if (!errors.any) {
      try {
        const { issueVotingCodes } = await req.api.request(IssueVotingCodesDocument, { input: { roundId: round.id } }, ctx(req));
        if (values.format === 'csv') {
          sendFile(res, `voting-codes-round-${round.id}.csv`, 'text/csv; charset=utf-8', issueVotingCodes.csv);
        } else {
          sendFile(res, `voting-code-letters-round-${round.id}.pdf`, 'application/pdf', Buffer.from(issueVotingCodes.pdfBase64, 'base64'));
        }
        return;
      } catch (e) {
        apiError(errors, e, 'format');
      }
    }
    staff(res, 'staff/letters', { pageTitle: 'Voting-code letters', round, values, errors, backLink: `/officer/rounds/${round.id}` }, 400);
  });
  r.get('/officer/rounds/:id/letters/:verificationId', async (req, res, next) => {
    if (!/^\d+$/.test(String(req.params.verificationId))) return next();
    const round = await loadRound(req);
    staff(res, 'staff/letter', { pageTitle: 'Post a voting-code letter', round, verificationId: String(req.params.verificationId), values: {}, backLink: `/officer/rounds/${round.id}` });
  });
  r.post('/officer/rounds/:id/letters/:verificationId', async (req, res, next) => {
    if (!/^\d+$/.test(String(req.params.verificationId))) return next();
    const round = await loadRound(req);
    const verificationId = String(req.params.verificationId);
    const values = { name: str(req.body, 'name'), line1: str(req.body, 'line1'), line2: str(req.body, 'line2'), town: str(req.body, 'town'), postcode: str(req.body, 'postcode') };
    const errors = new FormErrors();
    if (!values.name) errors.add('name', 'Enter the name to put on the letter');
    if (!values.line1) errors.add('line1', 'Enter the first line of their address');
    if (!errors.any) {
      try {
        const address = [values.line1, values.line2, values.town, values.postcode].filter((l) => l);
        const { issueVotingCodes } = await req.api.request(
          IssueVotingCodesDocument,
          { input: { roundId: round.id, recipients: [{ verificationId, name: values.name, address }] } },
          ctx(req),
        );
        sendFile(res, `voting-code-letter-${verificationId}.pdf`, 'application/pdf', Buffer.from(issueVotingCodes.pdfBase64, 'base64'));
        return;
      } catch (e) {
        apiError(errors, e, 'name');
      }
    }
    staff(res, 'staff/letter', { pageTitle: 'Post a voting-code letter', round, verificationId, values, errors, backLink: `/officer/rounds/${round.id}` }, 400);
  });

  // Turnout while voting: counts of people, never of choices.
  r.get('/officer/rounds/:id/turnout', async (req, res) => {
    const round = await loadRound(req);
    const { turnout } = await req.api.request(TurnoutDocument, { roundId: round.id }, ctx(req));
    staff(res, 'staff/turnout', { pageTitle: `Turnout: ${round.title}`, round, turnout, backLink: `/officer/rounds/${round.id}` });
  });

  // Verifications and conflicts
  r.get('/officer/rounds/:id/verifications', async (req, res) => {
    const round = await loadRound(req);
    const [all, conflicts] = await Promise.all([
      allPages(async (after) => (await req.api.request(RoundVerificationsDocument, { roundId: round.id, after }, ctx(req))).verifications),
      req.api.request(RoundConflictsDocument, { roundId: round.id }, ctx(req)),
    ]);
    const verified = all.filter((v) => v.verified).length;
    const held = all.filter((v) => v.held).length;
    staff(res, 'staff/verifications', {
      pageTitle: 'Verifications',
      round,
      total: all.length,
      verified,
      held,
      verificationConflicts: conflicts.verificationConflicts.nodes,
      backLink: `/officer/rounds/${round.id}`,
    });
  });
  r.post('/officer/rounds/:id/conflicts/:conflictId', async (req, res) => {
    const chosen = str(req.body, 'resolution');
    const resolution = chosen === 'MOVE_TO_CLAIMANT' || chosen === 'DISTINCT_PEOPLE' ? chosen : 'KEEP_EXISTING';
    await req.api.request(ResolveVerificationConflictDocument, { id: String(req.params.conflictId), resolution }, ctx(req));
    setFlash(res, 'officer.conflictResolved');
    res.redirect(303, `/officer/rounds/${req.params.id}/verifications`);
  });

  return r;
}
