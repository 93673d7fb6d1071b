// The rule simulator: its form (forms/simulation.ts), what the page shows
// (view-models/simulation.ts, lib/chart.ts), and its routes with a
// stand-in for the API: staff only, a pabulib file read with its limits,
// the API's refusals beside their fields or on the error pages; in
// English and in Welsh.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ApiError, type GraphQLClient } from '../../src/graphql/client.js';
import type { SimulateCountQuery, SimulationInput } from '../../src/graphql/generated/graphql.js';
import { addApiError } from '../../src/forms/api-error.js';
import { readExclusiveSets, readIds, readKeyedLimits, readLeastVotes } from '../../src/forms/constraints.js';
import { NEW_SIM_VALUES, askedRules, mayCompareRules, parseSimulation, ruleError, simValuesForRound, simValuesFrom, simulationApiErrors } from '../../src/forms/simulation.js';
import { cy, en } from '../../src/i18n/index.js';
import type { Round } from '../../src/forms/rounds.js';
import { shareChart, width } from '../../src/lib/chart.js';
import { FormErrors } from '../../src/lib/forms.js';
import { councilRulesInWords, percent, simulationView } from '../../src/view-models/simulation.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/riverside-small.pb');
const pb = readFileSync(FIXTURE);
const fields = (errors: FormErrors) => errors.list.map((e) => e.href.slice(1));
const noRules = { categoryMax: [], categoryMin: [], areaMax: [], areaMin: [], minVotes: null, minShare: null, exclusive: [], mustFund: [] };

describe('the simulator’s form', () => {
  it('counts a file under the rules chosen, each with its own council rules', () => {
    const values = simValuesFrom({ 'rule-1': 'greedy', 'rule-2': 'mes-add1', 'categoryMax-2': 'young people: 30%', 'leastVotes-2': '3', 'rule-3': 'phragmen', 'exclusive-3': 'p1, p4', 'mustFund-3': 'p5' });
    const { errors, input } = parseSimulation(values, { file: { buffer: pb } });
    expect(errors.list).toEqual([]);
    expect(input?.pbFile).toBe(pb.toString('utf8'));
    expect(input?.roundId).toBeUndefined();
    expect(input?.rules).toEqual([
      { name: 'greedy', constraints: null },
      { name: 'mes-add1', constraints: { ...noRules, categoryMax: [{ key: 'young people', pence: null, share: '30%' }], minVotes: 3 } },
      { name: 'phragmen', constraints: { ...noRules, exclusive: [['p1', 'p4']], mustFund: ['p5'] } },
    ]);
  });

  it('needs a file that is not empty and is UTF-8 text', () => {
    const rules = { ...NEW_SIM_VALUES };
    expect(parseSimulation(rules, { file: undefined }).errors.byField.pbFile?.text).toBe('Select a pabulib file (.pb)');
    expect(parseSimulation(rules, { file: { buffer: Buffer.alloc(0) } }).errors.byField.pbFile?.text).toBe('The selected file is empty');
    expect(parseSimulation(rules, { file: { buffer: Buffer.from([0x4d, 0xff, 0xfe]) } }).errors.byField.pbFile?.text).toBe('The selected file must be a pabulib file in UTF-8 text');
  });

  it('needs a rule, a rule from the list, and a rule for any council rules given', () => {
    expect(fields(parseSimulation(simValuesFrom({}), { roundId: '7' }).errors)).toEqual(['rule-1']);
    const wrong = parseSimulation(simValuesFrom({ 'rule-1': 'borda', 'rule-2': '', 'leastVotes-2': '3', 'rule-3': 'mes', 'categoryMax-3': 'transport 30%' }), { roundId: '7' });
    expect(fields(wrong.errors)).toEqual(['rule-1', 'rule-2', 'categoryMax-3']);
    expect(wrong.errors.byField['rule-2']?.text).toBe('Select the counting rule for rule 2’s council rules, or clear them');
    expect(wrong.errors.byField['rule-1']?.text).toBe('Select rule 1’s counting rule from the list');
    expect(wrong.errors.byField['categoryMax-3']?.text).toBe('Rule 3, line 1: write the category, a colon and the limit, like transport: 30% or transport: 5000');
    expect(wrong.input).toBeNull();
  });

  it('names a round’s areas by name (sent by id) and its bids by number', () => {
    const areas = [{ id: '1', name: 'Hyde Park and Woodhouse' }, { id: '2', name: 'Chapel Allerton' }];
    const { errors, input } = parseSimulation(simValuesFrom({ 'rule-1': 'mes', 'areaMax-1': 'Chapel allerton: 5000\n1: 10%', 'areaMin-1': 'Leeds: 5%' }), { roundId: '7', areas });
    expect(errors.byField['areaMin-1']?.text).toBe('Rule 1: “Leeds” is not an area: write one of Hyde Park and Woodhouse, Chapel Allerton');
    expect(input).toBeNull();
    const ok = parseSimulation(simValuesFrom({ 'rule-1': 'mes', 'areaMax-1': 'Chapel allerton: 5000\n1: 10%' }), { roundId: '7', areas });
    expect(ok.input?.rules[0]?.constraints?.areaMax).toEqual([{ key: '2', pence: 500_000, share: null }, { key: '1', pence: null, share: '10%' }]);
    const round = { countingRule: { name: 'greedy', constraints: { ...noRules, areaMax: [{ key: '2', pence: 500_000, share: null }, { key: '9', pence: null, share: '1%' }] } } } as unknown as Round;
    expect(simValuesForRound(round, areas)['areaMax-1']).toBe('Chapel Allerton: 5000\n9: 1%');
  });

  it('names a round’s bids by number', () => {
    const { errors, input } = parseSimulation(simValuesFrom({ 'rule-2': 'greedy', 'mustFund-2': '12, 13', 'exclusive-2': 'p1, p2' }), { roundId: '7' });
    expect(fields(errors)).toEqual(['exclusive-2']);
    expect(errors.byField['exclusive-2']?.text).toBe('Rule 2: “p1” is not a bid number; write one set a line, like 12, 15');
    expect(input).toBeNull();
    const ok = parseSimulation(simValuesFrom({ 'rule-2': 'greedy', 'mustFund-2': '12, 13' }), { roundId: '7' });
    expect(ok.input).toEqual({ roundId: '7', rules: [{ name: 'greedy', constraints: { ...noRules, mustFund: ['12', '13'] } }] });
    expect(askedRules(ok.values)).toEqual([{ slot: 2, name: 'greedy' }]);
  });

  it('starts a round’s comparison from its own rule and council rules', () => {
    const round = { countingRule: { name: 'mes-add1', constraints: { ...noRules, categoryMax: [{ key: 'transport', pence: null, share: '30%' }], minShare: '5%', exclusive: [['4', '5']] } } } as unknown as Round;
    expect(simValuesForRound(round)).toMatchObject({ 'rule-1': 'mes-add1', 'rule-2': 'greedy', 'rule-3': 'mes', 'categoryMax-1': 'transport: 30%', 'leastVotes-1': '5%', 'exclusive-1': '4, 5' });
    expect(simValuesForRound({ countingRule: { name: 'borda', constraints: null } } as unknown as Round)).toEqual(NEW_SIM_VALUES);
  });

  it('lets staff compare a published round, and only councillors and admins a closed or counted one', () => {
    expect(mayCompareRules('PUBLISHED', ['OFFICER'])).toBe(true);
    expect(mayCompareRules('COUNTED', ['OFFICER'])).toBe(false);
    expect(mayCompareRules('CLOSED', ['COUNCILLOR'])).toBe(true);
    expect(mayCompareRules('COUNTED', ['ADMIN'])).toBe(true);
    expect(mayCompareRules('VOTING', ['ADMIN'])).toBe(false);
    expect(mayCompareRules('PUBLISHED', [])).toBe(false);
  });

  it('shows the API’s refusals beside the file or the rule they are about', () => {
    const values = simValuesFrom({ 'rule-1': 'greedy', 'rule-3': 'mes' });
    const refusal = new ApiError([
      { code: 'INVALID_INPUT', field: 'pbFile', message: 'line 14: cost is missing' },
      { code: 'INVALID_INPUT', field: 'rules.1.constraints', message: 'a category maximum names `parks`, which no bid has' },
    ]);
    const errors = addApiError(new FormErrors(), refusal, simulationApiErrors(values, true));
    expect(errors.list).toEqual([
      { href: '#pbFile', text: 'line 14: cost is missing' },
      { href: '#rule-3', text: 'a category maximum names `parks`, which no bid has' },
    ]);
    for (const code of ['NOT_AUTHORISED', 'UNAUTHENTICATED', 'INTERNAL']) {
      expect(() => addApiError(new FormErrors(), new ApiError([{ code, message: 'no' }]), simulationApiErrors(values, false))).toThrow(ApiError);
    }
  });
});

describe('the simulator’s form in Welsh', () => {
  it('says what is wrong in Welsh, naming the rule and the line', () => {
    const rules = { ...NEW_SIM_VALUES };
    expect(parseSimulation(rules, { file: undefined }, cy).errors.byField.pbFile?.text).toBe('Dewiswch ffeil pabulib (.pb)');
    expect(parseSimulation(simValuesFrom({}), { roundId: '7' }, cy).errors.byField['rule-1']?.text).toBe('Dewiswch o leiaf un rheol gyfrif');
    const wrong = parseSimulation(simValuesFrom({ 'rule-1': 'borda', 'rule-2': '', 'leastVotes-2': '3', 'rule-3': 'mes', 'categoryMax-3': 'transport 30%' }), { roundId: '7' }, cy);
    expect(fields(wrong.errors)).toEqual(['rule-1', 'rule-2', 'categoryMax-3']);
    expect(wrong.errors.byField['rule-1']?.text).toBe('Dewiswch o’r rhestr y rheol gyfrif ar gyfer rheol 1');
    expect(wrong.errors.byField['rule-2']?.text).toBe('Dewiswch y rheol gyfrif ar gyfer rheolau’r cyngor yn rheol 2, neu cliriwch nhw');
    expect(wrong.errors.byField['categoryMax-3']?.text).toBe('Rheol 3, llinell 1: ysgrifennwch y categori, colon a’r terfyn, fel transport: 30% neu transport: 5000');
    const areas = [{ id: '1', name: 'Hyde Park and Woodhouse' }];
    expect(parseSimulation(simValuesFrom({ 'rule-1': 'mes', 'areaMin-1': 'Leeds: 5%' }), { roundId: '7', areas }, cy).errors.byField['areaMin-1']?.text).toBe('Rheol 1: nid yw “Leeds” yn ardal: rhowch un o’r rhain: Hyde Park and Woodhouse');
  });

  // The readers of council rules (forms/constraints.ts) speak English for
  // the round form; the simulator words each of their messages itself.
  const wrongRules: [string, string, 'number' | 'name'][] = [
    ['categoryMax', 'transport 30%', 'name'],
    ['areaMax', 'Headingley: 5000\nHeadingley: lots', 'name'],
    ['categoryMin', 'a: 1%\na: 2%', 'name'],
    ['leastVotes', 'twenty', 'name'],
    ['mustFund', '12, x', 'number'],
    ['mustFund', `p1, ${'x'.repeat(101)}`, 'name'],
    ['mustFund', '12, 12', 'number'],
    ['exclusive', '12', 'number'],
    ['exclusive', '12, 15\n15, 16', 'number'],
    ['exclusive', '12, 12', 'number'],
    ['exclusive', '12, 15\n1, a', 'number'],
    ['exclusive', `a, b\nc, ${'x'.repeat(101)}`, 'name'],
    ['exclusive', `${'x'.repeat(101)}, c`, 'name'],
  ];
  const readerMessage = (f: string, text: string, ids: 'number' | 'name') =>
    f === 'leastVotes' ? readLeastVotes(text).error : f === 'mustFund' ? readIds(text, ids).error : f === 'exclusive' ? readExclusiveSets(text, ids).error : readKeyedLimits(text, f.startsWith('category') ? 'category' : 'area').error;
  it.each(wrongRules)('words the readers’ message in both languages: %s, case %#', (f, text, ids) => {
    const message = readerMessage(f, text, ids) ?? '';
    expect(message).not.toBe('');
    const source = ids === 'number' ? { roundId: '7' } : { file: { buffer: pb } };
    const shown = (t: typeof en) => parseSimulation(simValuesFrom({ 'rule-2': 'greedy', [`${f}-2`]: text }), source, t).errors.byField[`${f}-2`]?.text;
    // English: the reader's own words after "Rule 2: " or "Rule 2, line N: ".
    const lined = /^Line (\d+): (.*)$/.exec(message);
    expect(shown(en)).toBe(lined ? `Rule 2, line ${lined[1]}: ${lined[2]}` : `Rule 2: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
    expect(ruleError(2, message, en)).toBe(shown(en));
    // Welsh: none of the reader's English is left.
    const welsh = shown(cy) ?? '';
    expect(welsh).toMatch(lined ? new RegExp(`^Rheol 2, llinell ${lined[1]}: `) : /^Rheol 2: /);
    expect(welsh).not.toMatch(/\b(the|write|enter|is not|named|needs|limit|line)\b/i);
  });

  it('keeps a message it does not know, after the rule’s number', () => {
    expect(ruleError(3, 'Something new', cy)).toBe('Rheol 3: something new');
    expect(ruleError(3, 'Line 2: something new', cy)).toBe('Rheol 3, llinell 2: something new');
  });
});

const outcome = (rule: string, funded: string[], spentPence: number, votersWithFundedChoice: number, byCategory: { key: string; pence: number; moneyShare: number; voteShare: number }[]) => ({
  rule,
  error: null,
  constraints: null,
  funded,
  spentPence,
  votersWithFundedChoice,
  averagePencePerVoter: 45_000,
  byCategory: byCategory.map((c) => ({ ...c, label: c.key })),
  byArea: [],
});

const SIMULATION: SimulateCountQuery['simulateCount'] = {
  pots: [
    {
      name: 'Riverside Ward test vote',
      budgetPence: 100_000,
      voters: 10,
      bids: [
        { id: 'p5', title: 'Street art wall', costPence: 15_000, categories: ['culture'], areas: [], votes: 2 },
        { id: 'p1', title: 'Play area repairs', costPence: 50_000, categories: ['young people'], areas: [], votes: 7 },
        { id: 'p2', title: 'Bus shelter seating', costPence: 30_000, categories: ['transport'], areas: ['1'], votes: 4 },
      ],
      outcomes: [
        outcome('greedy', ['p1', 'p2', 'p5'], 95_000, 10, [
          { key: 'young people', pence: 50_000, moneyShare: 50_000 / 95_000, voteShare: 0.5 },
          { key: 'transport', pence: 30_000, moneyShare: 30_000 / 95_000, voteShare: 0.2 },
        ]),
        { ...outcome('mes-add1', ['p2'], 30_000, 4, [{ key: 'transport', pence: 30_000, moneyShare: 1, voteShare: 0.2 }]), constraints: { ...noRules, categoryMax: [{ key: 'young people', pence: null, share: '30%' }] } },
        { ...outcome('phragmen', [], 0, 0, []), error: 'constraints: must_fund names `p9`, which is not a project' },
      ],
    },
  ],
};

describe('the comparison', () => {
  const [pot] = simulationView(SIMULATION, [1, 2, 3]);
  it('puts the rules side by side', () => {
    expect(pot?.rules).toEqual([
      { label: '1. greedy', rule: 'greedy', constraints: '', error: null, fundedCount: 3, spentPence: 95_000, spentShare: '95%', voters: 10, votersShare: '100%', averagePence: 45_000 },
      expect.objectContaining({ label: '2. mes-add1', constraints: 'at most 30% of the pot for young people', fundedCount: 1, spentShare: '30%', votersShare: '40%' }),
      expect.objectContaining({ label: '3. phragmen', error: 'constraints: must_fund names `p9`, which is not a project' }),
    ]);
  });
  it('lists the bids, most votes first, with each rule’s decision', () => {
    expect(pot?.bids.map((b) => [b.id, ...b.funded])).toEqual([
      ['p1', 'funded', 'not funded', 'not counted'],
      ['p2', 'funded', 'funded', 'not counted'],
      ['p5', 'funded', 'not funded', 'not counted'],
    ]);
  });
  it('names a round’s areas, which the API gives by id', () => {
    const [named] = simulationView(SIMULATION, [1, 2, 3], (key) => (key === '1' ? 'Hyde Park and Woodhouse' : key));
    expect(named?.bids.find((b) => b.id === 'p2')?.areas).toEqual(['Hyde Park and Woodhouse']);
    expect(pot?.bids.find((b) => b.id === 'p2')?.areas).toEqual(['1']);
  });
  it('gives the money per category under each rule beside its share of the votes', () => {
    expect(pot?.categories.map((c) => [c.label, c.voteShareText, ...c.rules.map((r) => (r ? `${r.pence} ${r.shareText}` : null))])).toEqual([
      ['young people', '50%', '50000 52.6%', '0 0%', null],
      ['transport', '20%', '30000 31.6%', '30000 100%', null],
    ]);
    expect(pot?.areas).toEqual([]);
  });
  it('draws the shares as bars, votes first, for the rules that counted', () => {
    expect(pot?.chart[0]).toEqual({
      label: 'young people',
      bars: [
        { label: 'Share of the votes', kind: 'votes', text: '50%', width: 50 },
        { label: '1. greedy: share of the money', kind: 'money', text: '52.6%', width: 53 },
        { label: '2. mes-add1: share of the money', kind: 'money', text: '0%', width: 0 },
      ],
    });
    expect(shareChart([{ label: 'x', voteShare: 0.001, voteShareText: '0.1%', rules: [null] }], [{ label: '1. mes' }])[0]?.bars).toEqual([{ label: 'Share of the votes', kind: 'votes', text: '0.1%', width: 1 }]);
    expect(width(0.004, 1)).toBe(1);
    expect(percent(Number.NaN)).toBe('0%');
  });
});

describe('the comparison in Welsh', () => {
  const [pot] = simulationView(SIMULATION, [1, 2, 3], undefined, cy);
  it('words the council rules and the chart in Welsh; rule names stay as they are', () => {
    expect(pot?.rules[1]).toMatchObject({ label: '2. mes-add1', constraints: '30% o’r pot ar y mwyaf ar gyfer young people', spentShare: '30%' });
    expect(pot?.chart[0]?.bars.map((b) => b.label)).toEqual(['Cyfran o’r pleidleisiau', '1. greedy: cyfran o’r arian', '2. mes-add1: cyfran o’r arian']);
    const rules = { ...noRules, categoryMin: [{ key: 'culture', pence: 200_000, share: null }], areaMax: [{ key: '1', pence: null, share: '40%' }], minVotes: 2, exclusive: [['7', '8']], mustFund: ['9'] };
    expect(councilRulesInWords(rules, () => 'Headingley', cy)).toBe(
      'o leiaf £2,000 ar gyfer culture; 40% o’r pot ar y mwyaf ar gyfer Headingley; mae angen 2 bleidlais ar bob cais; un ar y mwyaf o 7, 8; 9 yn cael cyllid yn gyntaf',
    );
    expect(councilRulesInWords({ ...noRules, minVotes: 1, minShare: '5%' }, undefined, en)).toBe('bids need 1 vote; bids need 5% of the voters');
  });
});

// The routes, with a stand-in for the API.

const people: Record<string, string[]> = { officer: ['OFFICER'], councillor: ['COUNCILLOR'], resident: [] };
const phases: Record<string, string> = { '7': 'PUBLISHED', '8': 'CLOSED' };
const asked: SimulationInput[] = [];
const client: GraphQLClient = {
  async request(document, variables, ctx) {
    const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
    const vars = variables as Record<string, unknown>;
    if (name === 'Me') {
      const roles = people[ctx.token ?? ''];
      return { me: roles ? { id: '9', displayName: 'Sam', language: 'EN', roles, groups: [] } : null } as never;
    }
    if (name === 'RoundPage') {
      const id = String(vars.id);
      return { round: { id, title: 'Spring Greens 2026', phase: phases[id] ?? 'VOTING', pots: [{ area: { id: '1', name: 'Hyde Park and Woodhouse' } }], countingRule: { name: 'mes-add1', constraints: null } } } as never;
    }
    if (name === 'SetLanguage') return { setLanguage: { id: '9', language: 'CY' } } as never;
    if (name === 'GroupAreas') return { areas: { nodes: [{ id: '1', name: 'Hyde Park and Woodhouse' }], pageInfo: { hasNextPage: false, endCursor: null } } } as never;
    if (name === 'SimulateCount') {
      const input = vars.input as SimulationInput;
      asked.push(input);
      if (input.pbFile?.includes('FORBID')) throw new ApiError([{ code: 'NOT_AUTHORISED', message: 'officers only' }]);
      if (input.pbFile?.includes('BROKEN')) throw new ApiError([{ code: 'INVALID_INPUT', field: 'pbFile', message: 'line 3: META has no `budget`' }]);
      return { simulateCount: SIMULATION } as never;
    }
    throw new Error(`unexpected operation: ${name}`);
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  server = createApp({ config: { ...loadConfig({}), secureCookies: false }, client }).listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  vi.restoreAllMocks();
});

/** The simulator's page for someone signed in, with the cookies and token to post it; `lang`, the language cookie the switch leaves. */
async function page(who: string, at = '/officer/simulator', lang?: 'en' | 'cy') {
  const mine = [`fs_session=${who}`, ...(lang ? [`fs_lang=${lang}`] : [])];
  const res = await fetch(`${base}${at}`, { headers: { cookie: mine.join('; ') } });
  const html = await res.text();
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const cookies = [...set, ...mine.filter((c) => !set.some((x) => x.split('=')[0] === c.split('=')[0]))].join('; ');
  return { res, html, cookies, token: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

function form(token: string, values: Record<string, string>, file?: { text: string; name?: string }) {
  const f = new FormData();
  f.append('_csrf', token);
  for (const [k, v] of Object.entries(values)) f.append(k, v);
  if (file) f.append('pbFile', new Blob([file.text]), file.name ?? 'vote.pb');
  return f;
}

describe('the simulator’s pages', () => {
  it('are for staff: a resident sees the not-allowed page and no link', async () => {
    const { res, html } = await page('resident');
    expect(res.status).toBe(403);
    expect(html).toContain('You cannot see this page');
    expect(html).not.toContain('Compare counting rules');
  });

  it('offer an officer the upload form with three rules', async () => {
    const { res, html } = await page('officer');
    expect(res.status).toBe(200);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('name="pbFile"');
    for (const n of [1, 2, 3]) expect(html).toContain(`id="rule-${n}"`);
    expect(html).toContain('Counting rule<span class="govuk-visually-hidden"> for rule 2</span>');
  });

  it('count an uploaded file and show the comparison', async () => {
    const { cookies, token } = await page('officer');
    const res = await fetch(`${base}/officer/simulator`, {
      method: 'POST',
      headers: { cookie: cookies },
      body: form(token, { 'rule-1': 'greedy', 'rule-2': 'mes-add1', 'categoryMax-2': 'young people: 30%', 'rule-3': 'phragmen' }, { text: pb.toString('utf8') }),
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(asked.at(-1)).toMatchObject({ pbFile: pb.toString('utf8'), rules: [{ name: 'greedy' }, { name: 'mes-add1', constraints: { categoryMax: [{ key: 'young people', share: '30%' }] } }, { name: 'phragmen' }] });
    expect(html).toContain('What each rule would fund');
    expect(html).toContain('Riverside Ward test vote');
    expect(html).toContain('The rules compared');
    expect(html).toContain('Bids funded by each rule');
    expect(html).toContain('Money for each category');
    expect(html).toContain('Could not count these ballots:');
    expect(html).toContain('app-chart__bar--w53');
    // The council rules typed are kept, and shown open.
    expect(html).toContain('young people: 30%');
  });

  it('show a file the API cannot read beside the file field', async () => {
    const { cookies, token } = await page('officer');
    const res = await fetch(`${base}/officer/simulator`, { method: 'POST', headers: { cookie: cookies }, body: form(token, { 'rule-1': 'greedy' }, { text: 'BROKEN' }) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('href="#pbFile"');
    expect(html).toContain('line 3: META has no `budget`');
  });

  it('ask for a file when none is sent', async () => {
    const { cookies, token } = await page('officer');
    const res = await fetch(`${base}/officer/simulator`, { method: 'POST', headers: { cookie: cookies }, body: form(token, { 'rule-1': 'greedy' }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Select a pabulib file (.pb)');
  });

  it('show the not-allowed page when the API refuses the person', async () => {
    const { cookies, token } = await page('officer');
    const res = await fetch(`${base}/officer/simulator`, { method: 'POST', headers: { cookie: cookies }, body: form(token, { 'rule-1': 'greedy' }, { text: 'FORBID' }) });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('You cannot see this page');
  });

  it('refuse a file over 4 MB with the too-large page', async () => {
    const { cookies, token } = await page('officer');
    const res = await fetch(`${base}/officer/simulator`, { method: 'POST', headers: { cookie: cookies }, body: form(token, { 'rule-1': 'greedy' }, { text: 'a'.repeat(4 * 1024 * 1024 + 1) }) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('What you sent is too large');
  });

  it('compare a published round’s rules for an officer, a closed round’s for a councillor only', async () => {
    const published = await page('officer', '/officer/rounds/7/compare');
    expect(published.res.status).toBe(200);
    expect(published.html).not.toContain('name="pbFile"');
    expect(published.html).toContain('The area’s name, like Hyde Park and Woodhouse.');
    const res = await fetch(`${base}/officer/rounds/7/compare`, {
      method: 'POST',
      headers: { cookie: published.cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: published.token, 'rule-1': 'mes-add1', 'rule-2': 'greedy', 'mustFund-2': '12', 'areaMax-2': 'hyde park and woodhouse: 40%' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(asked.at(-1)).toEqual({ roundId: '7', rules: [{ name: 'mes-add1', constraints: null }, { name: 'greedy', constraints: { ...noRules, areaMax: [{ key: '1', pence: null, share: '40%' }], mustFund: ['12'] } }] });
    expect((await page('officer', '/officer/rounds/8/compare')).res.status).toBe(403);
    expect((await page('councillor', '/officer/rounds/8/compare')).res.status).toBe(200);
    expect((await page('councillor', '/officer/rounds/9/compare')).res.status).toBe(403);
  });
});

describe('the simulator’s pages in Welsh', () => {
  it('follow the language switch: Welsh words, and no English-only part', async () => {
    const { res, html } = await page('officer', '/officer/simulator?lang=cy');
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().join()).toContain('fs_lang=cy');
    expect(html).toContain('<html lang="cy"');
    expect(html).toMatch(/<main class="govuk-main-wrapper" id="main-content">/);
    expect(html).toContain('<title>Cymharu rheolau cyfrif ar ffeil pabulib – ');
    expect(html).toContain('<h1 class="govuk-heading-l">Cymharu rheolau cyfrif</h1>');
    expect(html).toContain('Rheol gyfrif<span class="govuk-visually-hidden"> ar gyfer rheol 2</span>');
    expect(html).toContain('Rheolau’r cyngor ar gyfer rheol 3 (dewisol)');
    // The switch leads back to English on the same page.
    expect(html).toContain('href="/officer/simulator?lang=en"');
    expect(html).not.toContain('Compare counting rules');
  });

  it('count an uploaded file and show the comparison in Welsh', async () => {
    const { cookies, token } = await page('officer', '/officer/simulator', 'cy');
    const res = await fetch(`${base}/officer/simulator`, {
      method: 'POST',
      headers: { cookie: cookies },
      body: form(token, { 'rule-1': 'greedy', 'rule-2': 'mes-add1', 'categoryMax-2': 'young people: 30%', 'rule-3': 'phragmen' }, { text: pb.toString('utf8') }),
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="cy"');
    expect(html).toContain('Beth fyddai pob rheol yn ei ariannu');
    expect(html).toContain('<caption class="govuk-table__caption govuk-table__caption--s">Y rheolau ochr yn ochr</caption>');
    expect(html).toContain('Ceisiadau a fyddai’n cael cyllid o dan bob rheol');
    expect(html).toContain('Cyfran o’r pleidleisiau ac o’r arian, fesul categori');
    expect(html).toContain('Gyda rheolau’r cyngor: 30% o’r pot ar y mwyaf ar gyfer young people');
    expect(html).toContain('<span aria-hidden="true">✓</span> Yn cael cyllid');
    // The API's reason a rule could not count is its own, in English, and says so.
    expect(html).toContain('<strong>Nid oedd modd cyfrif y pleidleisiau hyn:</strong> <span class="app-break-words" lang="en">constraints: must_fund names');
    for (const english of ['The rules compared', 'Bids funded by each rule', 'Share of the votes', 'of the money', 'Compare the rules']) expect(html).not.toContain(english);
  });

  it('say what is wrong in Welsh', async () => {
    const { cookies, token } = await page('officer', '/officer/simulator', 'cy');
    const res = await fetch(`${base}/officer/simulator`, { method: 'POST', headers: { cookie: cookies }, body: form(token, { 'rule-1': 'greedy', 'leastVotes-1': 'lots' }) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<title>Gwall: Cymharu rheolau cyfrif ar ffeil pabulib');
    expect(html).toContain('Dewiswch ffeil pabulib (.pb)');
    expect(html).toContain('Rheol 1: rhowch nifer o bleidleisiau, fel 20, neu gyfran o’r pleidleiswyr, fel 5%');
  });

  it('compare a round’s rules in Welsh, its areas named in the hint', async () => {
    const { res, html } = await page('officer', '/officer/rounds/7/compare', 'cy');
    expect(res.status).toBe(200);
    expect(html).toContain('<title>Cymharu rheolau cyfrif: Spring Greens 2026 – ');
    expect(html).toContain('Enw’r ardal, fel Hyde Park and Woodhouse.');
    expect(html).toContain('Rhifau’r ceisiadau, gyda choma rhwng pob un');
  });

  it('refuse a round not open to this person with the not-allowed page, in Welsh too', async () => {
    const res = await fetch(`${base}/officer/rounds/8/compare`, { headers: { cookie: 'fs_session=officer; fs_lang=cy' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Ni allwch weld y dudalen hon');
  });
});
