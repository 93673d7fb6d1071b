// Residents first: what a resident reads, in English and Welsh. The ballot
// says exactly what is wrong when too many projects are chosen and asks
// before a blank vote is sent; a round's pages follow its real stage and
// say when voting closes and how many days are left; errors are in plain
// words in the page's language; the results page puts what was funded
// and the receipt check first, and the technical details after; officers
// entering a paper ballot read their own words. Every page is checked
// with axe, and at 320 px nothing scrolls sideways.
import { expect, test, type Page } from '@playwright/test';
import { apiSession, expectAccessible, newPerson, roundId, screenshots, signIn, checkBothWidths, makeAdmin } from './helpers.js';
import { instantFromLocal } from '../../src/lib/dates.js';

type Api = Awaited<ReturnType<typeof apiSession>>;

const BIDS = [
  ['Bulb planting', 100000],
  ['Benches by the green', 200000],
  ['Bike repair days', 150000],
  ['Book swap shelves', 50000],
] as const;

/** 5pm London time, `days` days from today. */
function fivePmIn(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return instantFromLocal(d.toISOString().slice(0, 10), '17:00')!;
}

/** "Friday 12 December 2025" (or Welsh "Gwener 12 Rhagfyr 2025") for an instant. */
function dayDate(iso: string, lang: 'en' | 'cy'): string {
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(lang === 'cy' ? 'cy-GB' : 'en-GB', { timeZone: 'Europe/London', ...o }).format(new Date(iso));
  return `${f({ weekday: 'long' }).replace(/^Dydd /, '')} ${f({ day: 'numeric', month: 'long', year: 'numeric' })}`;
}

/**
 * A round in voting in Hyde Park and Woodhouse: approval, up to 3 of 4
 * eligible bids, voting closing at 5pm in 3 days. A fresh admin sets it
 * up, and a fresh group puts the bids forward.
 */
async function votingRound(staff: Api, chair: Api, title: string, minChoices: number | null = null) {
  const { areas } = await staff('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id as string;
  const closes = fivePmIn(3);
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title,
      pots: [{ areaId: area, amountPence: 400000 }],
      ballot: { kind: 'APPROVAL', maxChoices: 3, minChoices },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE', 'IN_PERSON'], postcodeAloneEnough: true, acceptLowAssurance: true },
      schedule: { votingClosesAt: closes },
    },
  });
  const id = createRound.id as string;
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id });
  const { registerGroup } = await chair('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: `${title} helpers`, description: 'Looking after the street.', contactEmail: 'street@example.org', areaId: area },
  });
  const bids: Record<string, string> = {};
  for (const [t, cost] of BIDS) {
    const { submitBid } = await chair('mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }', {
      i: { roundId: id, groupId: registerGroup.id, areaId: area, details: { title: t, summary: `${t}, for everyone.`, description: 'What the project does, who it helps and how it is looked after.', costPence: cost, category: 'environment' } },
    });
    await staff('mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { id } }', { id: submitBid.id });
    bids[t] = submitBid.id as string;
  }
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BID_REVIEW) { id } }', { id });
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: VOTING) { id } }', { id });
  return { id, area, closes, bids };
}

/** A resident verified for the round through the API (postcode alone is enough). */
async function verifiedResident(email: string, name: string, round: string, year = 1970) {
  const me = await apiSession(email);
  await me('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
    r: round,
    p: { name, dateOfBirth: `${year}-05-05`, postcode: 'LS6 2AA', relation: 'LIVE' },
  });
  return me;
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test.describe.configure({ mode: 'serial' });

test('A and F: the ballot names the error when too many are chosen, asks before a blank vote, fits 320 px; the round follows its real stage', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = 'ada.ballots@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  // This round lets a resident send a blank vote (a minimum of no choices).
  const round = await votingRound(staff, await apiSession('cai.chair@example.org'), 'Residents first: ballot', 0);
  const email = 'bea.ballot@example.org';
  await verifiedResident(email, 'Bea Ballot', round.id);

  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/account');
  await signIn(page, email, '/account');

  // Four ticked when at most three are allowed: the counter says so as you tick, then the error summary.
  await page.goto(`/rounds/${round.id}/vote?lang=en`);
  await expect(h1(page)).toHaveText('Choose the projects you support');
  for (const [t] of BIDS) await page.getByLabel(t).check();
  await expect(page.getByText('You have chosen 4 projects: choose no more than 3')).toBeVisible();
  await expect(page.getByText('You have chosen as many projects as you can')).toHaveCount(0);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('You have chosen 4 projects: choose no more than 3');
  await expect(page).toHaveTitle(/^Error: /);
  await checkBothWidths(page);

  // The same in Welsh, and the page fits 320 px (its legend no longer spills out).
  await page.goto(`/rounds/${round.id}/vote?lang=cy`);
  for (const [t] of BIDS) await page.getByLabel(t).check();
  await expect(page.getByText('Rydych wedi dewis 4 prosiect: peidiwch â dewis mwy na 3')).toBeVisible();
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.getByRole('alert')).toContainText('Rydych wedi dewis 4 prosiect: peidiwch â dewis mwy na 3');
  await checkBothWidths(page);
  await page.goto(`/rounds/${round.id}/vote?lang=cy`);
  await checkBothWidths(page);
  await page.setViewportSize({ width: 320, height: 640 });
  await screenshots(page, 'residents-first-ballot-cy');

  // A blank ballot: the check page says so, and asks to send it or go back.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/rounds/${round.id}/vote?lang=en`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(h1(page)).toHaveText('Check your vote before you send it');
  await expect(page.getByText('You have not chosen any projects, so your vote is blank.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Are you sure you want to send a blank vote?' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send my vote' })).toHaveCount(0);
  await checkBothWidths(page);
  await page.getByRole('button', { name: 'Go back and choose projects' }).click();
  await expect(h1(page)).toHaveText('Choose the projects you support');
  await page.goto(`/rounds/${round.id}/vote?lang=cy`);
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.getByText('Nid ydych wedi dewis unrhyw brosiectau, felly mae eich pleidlais yn wag.')).toBeVisible();
  await checkBothWidths(page);
  await page.getByRole('button', { name: 'Anfon pleidlais wag' }).click();
  await expect(h1(page)).toHaveText('Pleidlais wedi dod i law');

  // An ordinary vote, then voting closes: the round's page says so, with no "To be announced".
  await page.goto(`/rounds/${round.id}/vote?lang=en`);
  await page.getByLabel('Bulb planting').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send my vote' }).click();
  await expect(h1(page)).toHaveText('Vote received');
  await page.goto(`/rounds/${round.id}`);
  await expect(page.getByText('Voting is open.')).toBeVisible();
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { id } }', { id: round.id });
  await page.reload();
  await expect(page.getByText('Voting is open')).toHaveCount(0);
  await expect(page.getByText(/^Voting has closed/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Vote now' })).toHaveCount(0);
  const closesRow = page.locator('.govuk-summary-list__row', { hasText: 'Voting closes' });
  await expect(closesRow).not.toContainText('To be announced');
  await expect(closesRow).not.toContainText(dayDate(round.closes, 'en'));
  await checkBothWidths(page);
  await page.goto(`/rounds/${round.id}?lang=cy`);
  await expect(page.getByText(/^Mae’r pleidleisio wedi cau/).first()).toBeVisible();
  await expect(page.getByText('Mae’r pleidleisio ar agor')).toHaveCount(0);
  await checkBothWidths(page);
  await context.close();
});

test('D: the round, area, project list, ballot, receipt and account pages say when voting closes and the days left, with a Vote button', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = 'dai.dates@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const round = await votingRound(staff, await apiSession('dot.chair@example.org'), 'Residents first: dates');
  const email = 'del.dates@example.org';
  await verifiedResident(email, 'Del Dates', round.id, 1971);
  const closesEn = `Voting closes at 5pm on ${dayDate(round.closes, 'en')}.`;
  const closesCy = `Mae’r pleidleisio’n cau am 5pm ddydd ${dayDate(round.closes, 'cy')}.`;

  const context = await newPerson(browser);
  const page = await context.newPage();
  // Signed out: the round, the area and its projects.
  await page.goto(`/rounds/${round.id}?lang=en`);
  await expect(page.getByText(closesEn)).toBeVisible();
  await expect(page.getByText('3 days left.')).toBeVisible();
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'Voting closes' })).toContainText(`5pm on ${dayDate(round.closes, 'en')}`);
  await checkBothWidths(page);
  await page.goto(`/areas/${round.area}`);
  const card = page.locator('.app-card', { hasText: 'Residents first: dates' });
  await expect(card).toContainText(closesEn);
  await expect(card).toContainText('3 days left');
  await expect(card.getByRole('button', { name: /^Vote now\s*: Residents first: dates$/ })).toHaveAttribute('href', `/rounds/${round.id}/vote`);
  await checkBothWidths(page);
  await page.goto(`/rounds/${round.id}/areas/${round.area}`);
  await expect(page.getByRole('button', { name: 'Vote now' })).toHaveAttribute('href', `/rounds/${round.id}/vote`);
  await expect(page.getByText(closesEn)).toBeVisible();
  await expect(page.getByText('Eligible', { exact: true })).toHaveCount(0);
  await expect(page.getByText('On the ballot: you can vote for it').first()).toBeVisible();
  await checkBothWidths(page);
  await page.goto(`/bids/${round.bids['Bulb planting']}`);
  await expect(page.getByText('On the ballot: you can vote for it')).toBeVisible();
  await checkBothWidths(page);
  // In Welsh.
  await page.goto(`/rounds/${round.id}?lang=cy`);
  await expect(page.getByText(closesCy)).toBeVisible();
  await expect(page.getByText('3 diwrnod ar ôl.')).toBeVisible();
  await checkBothWidths(page);
  await page.goto(`/areas/${round.area}`);
  await expect(page.locator('.app-card', { hasText: 'Residents first: dates' })).toContainText(closesCy);
  await checkBothWidths(page);
  await page.goto(`/rounds/${round.id}/areas/${round.area}`);
  await expect(page.getByText('Ar y papur pleidleisio: gallwch bleidleisio drosto').first()).toBeVisible();
  await checkBothWidths(page);

  // Signed in: the ballot, the receipt and the account page.
  await page.goto(`/rounds/${round.id}?lang=en`);
  await page.getByRole('button', { name: 'Vote now' }).click();
  await signIn(page, email);
  await expect(h1(page)).toHaveText('Choose the projects you support');
  await expect(page.getByText(closesEn)).toBeVisible();
  // Nothing chosen where the round needs a choice: said on the ballot, before any check page.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('You have not chosen any projects. Choose at least 1 project to vote');
  await page.getByLabel('Bike repair days').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send my vote' }).click();
  await expect(h1(page)).toHaveText('Vote received');
  await expect(page.getByText(closesEn)).toBeVisible();
  // The receipt code only: no "receipt key" that nothing asks for.
  await expect(page.getByText('Receipt key')).toHaveCount(0);
  await expect(page.getByText('Only your latest vote counts.')).toBeVisible();
  await checkBothWidths(page);
  await page.goto('/account?lang=en');
  const mine = page.locator('.app-card', { hasText: 'Residents first: dates' });
  await expect(mine).toContainText('You can vote in this round');
  await expect(mine.locator('.govuk-summary-list__row', { hasText: 'Voting closes' })).toContainText(`5pm on ${dayDate(round.closes, 'en')} 3 days left.`);
  await checkBothWidths(page);
  await page.goto('/account?lang=cy');
  await expect(page.locator('.app-card', { hasText: 'Residents first: dates' })).toContainText(`5pm ddydd ${dayDate(round.closes, 'cy')} 3 diwrnod ar ôl.`);
  await checkBothWidths(page);
  await page.goto(`/rounds/${round.id}/vote?lang=cy`);
  await expect(page.getByText(closesCy)).toBeVisible();
  await checkBothWidths(page);
  await context.close();
});

test('B: errors in plain words in the page’s language; a replaced vote’s receipt; titles match headings', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = 'bo.errors@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const round = await votingRound(staff, await apiSession('bryn.chair@example.org'), 'Residents first: errors');

  // A date of birth that is not a real date, or not in the past.
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/account');
  await signIn(page, 'ella.errors@example.org');
  await page.goto(`/rounds/${round.id}/verify?lang=cy`);
  const fill = async (name: string, day: string, month: string, year: string) => {
    await page.locator('#name').fill(name);
    await page.locator('#dob-day').fill(day);
    await page.locator('#dob-month').fill(month);
    await page.locator('#dob-year').fill(year);
    await page.locator('#postcode').fill('LS6 2AA');
  };
  await fill('Ella Errors', '31', '2', '1950');
  await page.locator('form button').first().click();
  await expect(page.getByRole('alert')).toContainText('Rhaid i’r dyddiad geni fod yn ddyddiad go iawn');
  await expect(page.getByRole('alert')).not.toContainText(/date|enter|birth/i);
  await checkBothWidths(page);
  await fill('Ella Errors', '1', '1', String(new Date().getFullYear() + 2));
  await page.locator('form button').first().click();
  await expect(page.getByRole('alert')).toContainText('Rhaid i’r dyddiad geni fod yn y gorffennol');
  await page.goto(`/rounds/${round.id}/verify?lang=en`);
  await fill('Ella Errors', '31', '2', '1950');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Date of birth must be a real date');
  await expect(page.getByRole('alert')).not.toContainText('format');
  await checkBothWidths(page);
  await context.close();

  // A vote replaced by a later one: only the latest receipt is in the count, and the page says why.
  const voter = await verifiedResident('rae.receipts@example.org', 'Rae Receipts', round.id, 1972);
  const cast = async (bid: string, key: string) =>
    (await voter('mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { code } } }', { i: { roundId: round.id, choices: [{ bidId: bid }], idempotencyKey: key } })).castBallot.receipt.code as string;
  const first = await cast(round.bids['Bulb planting']!, 'residents-first-1');
  const latest = await cast(round.bids['Book swap shelves']!, 'residents-first-2');
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { id } }', { id: round.id });
  await expect.poll(async () => (await staff('query($id: ID!) { round(id: $id) { phase } }', { id: round.id })).round.phase, { timeout: 30_000 }).toBe('COUNTED');

  // The publish page, for a councillor: its title is its heading.
  await staff('mutation($e: String!) { grantRole(email: $e, role: COUNCILLOR) { id } }', { e: admin });
  const officer = await newPerson(browser);
  const op = await officer.newPage();
  await op.goto(`/officer/rounds/${round.id}/publish`);
  await signIn(op, admin, `/officer/rounds/${round.id}/publish`);
  await expect(h1(op)).toHaveText('Are you sure you want to publish the result?');
  await expect(op).toHaveTitle(/^Are you sure you want to publish the result\? – /);
  await expect(op.locator('h1')).toHaveCount(1);
  await expectAccessible(op);
  await op.getByRole('button', { name: 'Publish the result' }).click();
  await expect.poll(async () => (await staff('query($id: ID!) { round(id: $id) { phase } }', { id: round.id })).round.phase, { timeout: 30_000 }).toBe('PUBLISHED');
  await officer.close();

  const visitor = await newPerson(browser);
  const vp = await visitor.newPage();
  await vp.goto(`/rounds/${round.id}/receipt?lang=en`);
  await expect(vp.getByText('Only your latest vote counts.')).toBeVisible();
  await vp.getByLabel('Receipt code').fill(first);
  await vp.getByRole('button', { name: 'Check the receipt' }).click();
  await expect(vp.getByRole('alert')).toContainText('Only your latest vote counts: if you changed your vote, the code for the vote you replaced is not in the count');
  await checkBothWidths(vp);
  await vp.goto(`/rounds/${round.id}/receipt?lang=cy`);
  await vp.getByLabel('Cod y dderbynneb').fill(first);
  await vp.getByRole('button', { name: 'Gwirio’r dderbynneb' }).click();
  await expect(vp.getByRole('alert')).toContainText('Dim ond eich pleidlais ddiweddaraf sy’n cyfrif');
  await checkBothWidths(vp);
  // The latest receipt is found; the page's title is its heading, and the hashes wait behind a details.
  await vp.goto(`/rounds/${round.id}/receipt?lang=en`);
  await vp.getByLabel('Receipt code').fill(latest);
  await vp.getByRole('button', { name: 'Check the receipt' }).click();
  await expect(h1(vp)).toHaveText('Your vote is in the count');
  await expect(vp).toHaveTitle(/^Your vote is in the count – /);
  await expect(vp.getByText('Fingerprint of all the receipts (Merkle root)')).toBeHidden();
  await vp.getByText('For people checking the count').click();
  await expect(vp.getByText('Fingerprint of all the receipts (Merkle root)')).toBeVisible();
  await checkBothWidths(vp);
  await vp.goto(`/rounds/${round.id}/receipt?lang=cy`);
  await vp.getByLabel('Cod y dderbynneb').fill(latest);
  await vp.getByRole('button', { name: 'Gwirio’r dderbynneb' }).click();
  await expect(h1(vp)).toHaveText('Mae eich pleidlais yn y cyfrif');
  await expect(vp).toHaveTitle(/^Mae eich pleidlais yn y cyfrif – /);
  await checkBothWidths(vp);
  await visitor.close();
});

test('C: the results page in plain words, the funded projects and the receipt check first, the technical details after', async ({ browser }) => {
  const id = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto(`/rounds/${id}/results?lang=en`);
  await expect(h1(page)).toHaveText('Results');
  const main = page.locator('main');
  const text = await main.innerText();
  // What residents ask first comes first.
  const at = (s: string) => text.indexOf(s);
  expect(at('Projects funded')).toBeGreaterThan(-1);
  expect(at('Was my vote counted?')).toBeGreaterThan(at('Projects funded'));
  expect(at('For people checking the count')).toBeGreaterThan(at('Was my vote counted?'));
  expect(at('Close checkpoint')).toBeGreaterThan(at('For people checking the count'));
  expect(at('Download the files')).toBeGreaterThan(at('For people checking the count'));
  await expect(page.getByText('£5,600 of £6,000 went to 3 projects. £400 was left over.')).toBeVisible();
  // Why a project was not funded though money was left over.
  await expect(page.getByText('Its supporters’ equal shares of the budget were not enough to pay for it.').first()).toBeVisible();
  // The figures once in a table, not again in a second table beside the chart.
  await expect(page.getByRole('table', { name: 'The same figures in a table' })).toHaveCount(0);
  // No count jargon, and nothing that says residents paid.
  for (const d of await page.locator('details').all()) await d.locator('summary').click();
  const all = await main.innerText();
  expect(all).not.toMatch(/single run|is exhaustive|\bpaid\b/);
  expect(all).toContain('came out of the equal shares of the budget');
  await checkBothWidths(page);
  await page.setViewportSize({ width: 320, height: 640 });
  await screenshots(page, 'residents-first-results');
  await page.goto(`/rounds/${id}/results?lang=cy`);
  await expect(page.getByRole('heading', { level: 2, name: 'I bobl sy’n gwirio’r cyfrif' })).toBeVisible();
  await expect(page.getByText('Nid oedd cyfrannau cyfartal ei gefnogwyr o’r gyllideb yn ddigon i dalu amdano.').first()).toBeVisible();
  for (const d of await page.locator('details').all()) await d.locator('summary').click();
  expect(await page.locator('main').innerText()).not.toMatch(/thalodd|single run|exhaustive/);
  await checkBothWidths(page);
  await context.close();
});

test('E: an officer entering a paper ballot reads “Record this ballot”, not the resident’s “Send my vote”', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = 'eve.entry@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const round = await votingRound(staff, await apiSession('ed.chair@example.org'), 'Residents first: paper');
  const context = await newPerson(browser);
  const op = await context.newPage();
  await op.goto(`/officer/rounds/${round.id}/in-person`);
  await signIn(op, admin, `/officer/rounds/${round.id}/in-person`);
  await op.getByLabel('Full name').fill('Pat Paper');
  await op.getByLabel('Day').fill('1');
  await op.getByLabel('Month').fill('2');
  await op.getByLabel('Year').fill('1940');
  await op.getByLabel('Postcode').fill('LS6 1AA');
  await op.getByLabel('Known to me').check();
  await op.getByRole('button', { name: 'Verify the resident' }).click();
  await op.getByRole('link', { name: 'Enter their paper ballot form' }).click();
  await expect(op.getByText('Paper ballot: Residents first: paper')).toBeVisible();
  await op.getByLabel('Bike repair days').check();
  await op.getByRole('button', { name: 'Continue' }).click();
  await expect(h1(op)).toHaveText('Check the ballot before you record it');
  await expect(op).toHaveTitle(/^Check the ballot before you record it – /);
  await expect(op.getByRole('button', { name: 'Send my vote' })).toHaveCount(0);
  await expectAccessible(op);
  await op.getByRole('button', { name: 'Record this ballot' }).click();
  await expect(h1(op)).toHaveText('Ballot recorded');
  await expect(op.locator('h1')).toHaveCount(1);
  await expect(op.getByText('Vote received')).toHaveCount(0);
  await expectAccessible(op);
  await context.close();
});
