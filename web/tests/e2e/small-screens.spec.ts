// Staff land on their own pages after signing in, and every staff page
// works on a 320 px screen in both languages of the page frame: nothing
// scrolls sideways but a wide table in its own labelled, focusable region.
// The staff are fresh addresses (`create-admin`, then roles given by that
// admin), so the demo's staff keep their sign-in codes for other journeys.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { apiSession, codeFor, expectAccessible, expectNoHorizontalScroll, folderCount, newPerson, roundId, screenshots, makeAdmin } from './helpers.js';

const stamp = Date.now();

/** Signs in from the sign-in page itself, with no page asked for. */
async function signInPlainly(page: Page, email: string) {
  await page.goto('/sign-in');
  await expect(page.locator('input[name="next"]')).toHaveValue('');
  const before = folderCount('mail');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your email');
  await page.getByLabel('Code', { exact: true }).fill(await codeFor(email, before));
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function signedIn(browser: Browser, email: string, viewport = { width: 1280, height: 900 }) {
  const context = await newPerson(browser, { viewport });
  const page = await context.newPage();
  await signInPlainly(page, email);
  return { context, page };
}

test('after signing in with no page asked for: an admin lands on the roles page, other staff on the staff pages, a resident on their account', async ({ browser }) => {
  const admin = `ada.landing.${stamp}@example.org`;
  const officer = `otto.landing.${stamp}@example.org`;
  const councillor = `cora.landing.${stamp}@example.org`;
  const resident = `rhys.landing.${stamp}@example.org`;
  makeAdmin(admin);
  const api = await apiSession(admin);
  await api('mutation($e: String!) { grantRole(email: $e, role: OFFICER) { id } }', { e: officer });
  await api('mutation($e: String!) { grantRole(email: $e, role: COUNCILLOR) { id } }', { e: councillor });

  for (const [email, url, heading] of [
    [admin, /\/officer\/roles$/, 'Roles'],
    [officer, /\/officer$/, 'Staff pages'],
    [councillor, /\/officer$/, 'Staff pages'],
    [resident, /\/account$/, 'Your account'],
  ] as const) {
    const { context, page } = await signedIn(browser, email);
    await expect(page, email).toHaveURL(url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await context.close();
  }

  // A page asked for still wins, for staff too; another site's address never does.
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/groups');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fgroups$/);
  let before = folderCount('mail');
  await page.getByLabel('Email address').fill(officer);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code', { exact: true }).fill(await codeFor(officer, before));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/groups$/);
  await page.goto('/sign-out');
  await page.goto('/sign-in?next=//evil.example/steal');
  await expect(page.locator('input[name="next"]')).toHaveValue('');
  before = folderCount('mail');
  await page.getByLabel('Email address').fill(officer);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code', { exact: true }).fill(await codeFor(officer, before));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/officer$/);
  await context.close();
});

/** A round counted but not yet published, with one vote, set up through the API by `admin`. */
async function countedRound(admin: string): Promise<string> {
  const staff = await apiSession(admin);
  const chair = await apiSession(`chair.counted.${stamp}@example.org`);
  const { areas } = await staff('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id as string;
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title: `Narrow screens fund ${stamp}`,
      pots: [{ areaId: area, amountPence: 1000000 }],
      ballot: { kind: 'APPROVAL' },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: true },
    },
  });
  const id = createRound.id as string;
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id });
  const { registerGroup } = await chair('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: `Narrow screens friends ${stamp}`, description: 'Looking after the park.', contactEmail: 'narrow.friends@example.org', areaId: area },
  });
  const { submitBid } = await chair('mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }', {
    i: { roundId: id, groupId: registerGroup.id, areaId: area, details: { title: 'Benches along the long path by the bowling green', summary: 'Benches, for everyone.', description: 'What the project does, who it helps and how it is looked after.', costPence: 300000, category: 'environment' } },
  });
  await staff('mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { id } }', { id: submitBid.id });
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BID_REVIEW) { id } }', { id });
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: VOTING) { id } }', { id });
  const voter = await apiSession(`vic.narrow.${stamp}@example.org`);
  await voter('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
    r: id,
    p: { name: 'Vic Narrow', dateOfBirth: '1977-07-07', postcode: 'LS6 2AA', relation: 'LIVE' },
  });
  await voter('mutation($i: CastBallotInput!) { castBallot(input: $i) { replaced } }', { i: { roundId: id, choices: [{ bidId: submitBid.id }], idempotencyKey: `narrow-${stamp}` } });
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { id } }', { id });
  await expect.poll(async () => (await staff('query($id: ID!) { round(id: $id) { phase } }', { id })).round.phase, { timeout: 30_000 }).toBe('COUNTED');
  return id;
}

test('every staff page at 320 px, in English and Welsh: no sideways scrolling, axe clean', async ({ browser }) => {
  // Some fifty pages, each checked by axe.
  test.setTimeout(600_000);
  const admin = `ada.narrow.${stamp}@example.org`;
  makeAdmin(admin);
  const counted = await countedRound(admin);
  const [fund2027, summer, spring] = await Promise.all([roundId('Neighbourhood Fund 2027'), roundId('Summer Streets 2026'), roundId('Spring Greens 2026')]);
  const { context, page } = await signedIn(browser, admin, { width: 320, height: 640 });

  const pages = [
    '/officer',
    '/officer/roles',
    '/officer/simulator',
    '/officer/areas/new',
    '/officer/areas/1',
    '/officer/rounds/new',
    ...[fund2027, summer].flatMap((id) => [
      `/officer/rounds/${id}`,
      `/officer/rounds/${id}/edit`,
      `/officer/rounds/${id}/bids`,
      `/officer/rounds/${id}/register`,
      `/officer/rounds/${id}/in-person`,
      `/officer/rounds/${id}/verifications`,
      `/officer/rounds/${id}/letters`,
    ]),
    `/officer/rounds/${summer}/turnout`,
    `/officer/rounds/${spring}`,
    `/officer/rounds/${spring}/turnout`,
    `/officer/rounds/${spring}/verifications`,
    `/officer/rounds/${spring}/correct`,
    `/officer/rounds/${spring}/compare`,
    `/officer/rounds/${counted}`,
    `/officer/rounds/${counted}/publish`,
    `/officer/rounds/${counted}/turnout`,
  ];

  for (const lang of ['en', 'cy'] as const) {
    await page.goto(`/officer?lang=${lang}`);
    for (const address of pages) {
      const res = await page.goto(address);
      expect(res?.status(), address).toBe(200);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectNoHorizontalScroll(page);
      await expectAccessible(page);
    }
    // The comparison's results: wide tables, each in its own region.
    await page.goto(`/officer/rounds/${spring}/compare`);
    await page.locator('main form button[type="submit"], main form .govuk-button').last().click();
    await expect(page.locator('.app-table-scroll').first()).toBeVisible();
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await screenshots(page, `${lang}-staff-compare-narrow`);
  }
  await page.goto(`/officer/rounds/${counted}/publish?lang=en`);
  await screenshots(page, 'staff-publish-narrow');
  await page.goto('/officer');
  await screenshots(page, 'staff-home-narrow');
  await context.close();
});

test('a resident’s and a community group’s pages at 320 px, in English and Welsh: no sideways scrolling, axe clean', async ({ browser }) => {
  test.setTimeout(300_000);
  const email = `gwen.group.${stamp}@a-rather-long-neighbourhood-address.example.org`;
  const api = await apiSession(email);
  const { areas } = await api('{ areas(first: 20) { nodes { id name } } }');
  const { registerGroup } = await api('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: `Narrow Lane Allotment and Orchard Society ${stamp}`, description: 'Growing food together.', contactEmail: email, areaId: areas.nodes[0].id },
  });
  const group = registerGroup.id as string;
  const [fund2027, summer] = await Promise.all([roundId('Neighbourhood Fund 2027'), roundId('Summer Streets 2026')]);
  const { context, page } = await signedIn(browser, email, { width: 320, height: 640 });
  await expect(page).toHaveURL(/\/account$/);
  const pages = [
    '/account',
    '/account/name',
    '/account/delete',
    '/groups',
    '/groups/new',
    `/groups/${group}`,
    `/groups/${group}/bids/new?round=${fund2027}`,
    `/rounds/${fund2027}/verify`,
    `/rounds/${summer}/verify/in-person`,
    '/dev/messages',
  ];
  for (const lang of ['en', 'cy'] as const) {
    await page.goto(`/account?lang=${lang}`);
    for (const address of pages) {
      const res = await page.goto(address);
      expect(res?.status(), address).toBe(200);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectNoHorizontalScroll(page);
      await expectAccessible(page);
    }
  }
  await context.close();
});
