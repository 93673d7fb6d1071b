// Who takes part: the public "Who took part" page of the demo's published
// round (60 paper ballots over both wards) in English and Welsh, cached as
// its results page is; the staff dashboard of that round and of the voting
// round, where so few have voted that every number is "fewer than 10";
// and the outreach list while voting is open.
import { expect, test, type Page } from '@playwright/test';
import { DEMO, apiSession, checkBothWidths, expectAccessible, makeAdmin, newPerson, roundId, screenshots, signIn } from './helpers.js';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const PUBLISHED = 'public, max-age=60, must-revalidate';

test.describe.configure({ mode: 'serial' });

test('the public “Who took part” page of the published round, in English and Welsh, cached like its results', async ({ browser }) => {
  const id = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto(`/rounds/${id}/results`);
  await page.getByRole('link', { name: 'See who took part' }).click();
  await expect(page).toHaveURL(new RegExp(`/rounds/${id}/participation$`));
  await expect(h1(page)).toHaveText('Who took part');
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'People who took part' })).toContainText('60');
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'Turnout' })).toContainText(/\d%/);

  const byArea = page.getByRole('table', { name: 'People who took part, by area' });
  await expect(byArea.getByRole('row', { name: /^Hyde Park and Woodhouse/ })).toContainText('40');
  await expect(byArea.getByRole('row', { name: /^Hyde Park and Woodhouse/ })).toContainText('66.7%');
  await expect(byArea.getByRole('row', { name: /^Chapel Allerton/ })).toContainText('20');
  const areas = page.getByRole('region', { name: 'By area' });
  await expect(areas.getByText(/^Representativeness: \d+(\.\d)?%$/)).toBeVisible();
  await expect(areas.getByText('100% would mean every group took part at the same rate.', { exact: false })).toBeVisible();

  // Groups of fewer than 10 are never counted out.
  const byAge = page.getByRole('table', { name: 'People who took part, by age' });
  // The round is for people aged 16 and over: the youngest band starts there.
  await expect(byAge.getByRole('row', { name: /^16 to 17/ })).toBeVisible();
  await expect(byAge.getByRole('row', { name: /^Under 18/ })).toHaveCount(0);
  await expect(byAge).toContainText('fewer than 10');
  const byDecile = page.getByRole('table', { name: 'People who took part, by deprivation decile' });
  await expect(byDecile.getByRole('row', { name: /^1 \(most deprived\)/ })).toContainText('fewer than 10');
  await expect(page.getByRole('table', { name: 'People who took part, by how they voted' }).getByRole('row', { name: /^On paper/ })).toContainText('100%');
  await expect(page.getByText('To protect people’s privacy, a group of fewer than 10 people is shown as “fewer than 10”.', { exact: false })).toBeVisible();
  // The charts repeat the tables' figures, so screen readers read the tables; no staff links.
  await expect(page.locator('.app-participation__chart').first()).toHaveAttribute('aria-hidden', 'true');
  await expect(page.locator('main a[href^="/officer"]')).toHaveCount(0);
  await checkBothWidths(page);
  await screenshots(page, 'participation-public');

  await page.getByRole('link', { name: 'Cymraeg' }).click();
  await expect(h1(page)).toHaveText('Pwy gymerodd ran');
  await expect(page.getByRole('table', { name: 'Pobl a gymerodd ran, fesul grŵp oedran' })).toContainText('llai na 10');
  await expect(page.getByRole('table', { name: 'Pobl a gymerodd ran, fesul degradd amddifadedd' }).getByRole('row', { name: /^1 \(mwyaf difreintiedig\)/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Pobl a gymerodd ran, fesul ardal' }).locator('span[lang="en"]').first()).toBeVisible();
  await checkBothWidths(page);
  await screenshots(page, 'participation-public-cy');
  await context.close();

  // Like its results page: public, kept a minute, with a validator from the publication and a 304.
  const visitor = await newPerson(browser);
  const res = await visitor.request.get(`/rounds/${id}/participation`);
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toBe(PUBLISHED);
  expect(res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie')).toEqual([]);
  expect(res.headers()['vary']).toMatch(/\bCookie\b/);
  const etag = res.headers()['etag']!;
  expect(etag).toMatch(new RegExp(`^W/"participation-${id}-latest-en-\\d+-[0-9a-f]{12}"$`));
  const again = await visitor.request.get(`/rounds/${id}/participation`, { headers: { 'cache-control': 'max-age=0', 'if-none-match': etag } });
  expect(again.status()).toBe(304);
  // Before publication it says so, and nobody keeps the page.
  const voting = await roundId('Summer Streets 2026');
  const early = await visitor.request.get(`/rounds/${voting}/participation`);
  expect(early.headers()['cache-control']).toBe('private, no-store');
  expect(await early.text()).toContain('Who took part is not published yet');
  await visitor.close();
});

test('staff: who took part in the published round, who is taking part in the voting round, and who to reach', async ({ browser }) => {
  const [published, voting] = await Promise.all([roundId('Spring Greens 2026'), roundId('Summer Streets 2026')]);
  // Someone votes in the voting round with an officer's help: still fewer than 10 in every group.
  const admin = 'owain.outreach@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const { recordInPersonVerification: olwen } = await staff(
    'mutation($r: ID!, $i: InPersonVerificationInput!) { recordInPersonVerification(roundId: $r, input: $i) { id area { id } } }',
    { r: voting, i: { person: { name: 'Olwen Outreach', dateOfBirth: '1990-05-17', postcode: 'LS6 1AB', relation: 'LIVE' }, evidence: 'PROOF_OF_ADDRESS' } },
  );
  const { round } = await staff('query($id: ID!, $area: ID!) { round(id: $id) { bids(areaId: $area, first: 5) { nodes { id } } } }', { id: voting, area: olwen.area.id });
  await staff('mutation($i: CastAssistedBallotInput!) { castAssistedBallot(input: $i) { castAt } }', {
    i: { roundId: voting, verificationId: olwen.id, channel: 'ASSISTED', choices: [{ bidId: round.bids.nodes[0].id }], idempotencyKey: 'participation-spec-olwen' },
  });

  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto(`/officer/rounds/${published}`);
  await signIn(page, DEMO.councillor, `/officer/rounds/${published}`);
  await expect(page.getByRole('link', { name: 'Who to reach while voting is open' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Who took part', exact: true }).click();
  await expect(h1(page)).toHaveText('Who took part');
  await expect(page.getByRole('link', { name: 'See the public page of who took part' })).toHaveAttribute('href', `/rounds/${published}/participation`);
  await expect(page.getByRole('table', { name: 'People who took part, by area' }).getByRole('row', { name: /^Chapel Allerton/ })).toContainText('33.3%');
  await expect(page.getByRole('table', { name: 'People who took part, by age' })).toContainText('fewer than 10');
  // Every area has its population, so there is nothing to import; a councillor imports nothing anyway.
  await expect(page.getByRole('link', { name: 'Import population figures' })).toHaveCount(0);
  await checkBothWidths(page);
  await screenshots(page, 'participation-staff-published');

  // The voting round: so few have voted that every number is hidden.
  await page.goto(`/officer/rounds/${voting}`);
  await page.getByRole('link', { name: 'Who is taking part' }).click();
  await expect(h1(page)).toHaveText('Who is taking part');
  await expect(page.getByText('Voting is open: these figures change as people vote.')).toBeVisible();
  const byArea = page.getByRole('table', { name: 'People who took part, by area' });
  await expect(byArea.getByRole('row', { name: /^Hyde Park and Woodhouse/ })).toContainText('fewer than 10');
  await expect(byArea.getByRole('row', { name: /^Hyde Park and Woodhouse/ })).toContainText('Not shown');
  await expect(page.getByRole('table', { name: 'People who took part, by age' }).getByRole('row', { name: /^35 to 44/ })).toContainText('fewer than 10');
  await expect(page.getByText(/^Representativeness:/)).toHaveCount(0);
  await expect(page.getByText('Representativeness cannot be worked out here', { exact: false }).first()).toBeVisible();
  await checkBothWidths(page);
  await screenshots(page, 'participation-staff-voting');

  // Who to reach while voting is open: each ward's age groups, furthest below their share first.
  await page.getByRole('link', { name: 'Who to reach while voting is open' }).click();
  await expect(h1(page)).toHaveText('Who to reach');
  const outreach = page.getByRole('table', { name: 'Age groups in each area, those furthest below their share of the population first' });
  await expect(outreach.getByRole('row')).toHaveCount(17);
  const olwensGroup = outreach.getByRole('row', { name: /^Hyde Park and Woodhouse 35 to 44/ });
  await expect(olwensGroup).toContainText('fewer than 10');
  await expect(outreach.getByRole('row', { name: /^Hyde Park and Woodhouse 18 to 24/ })).toContainText('0%');
  await checkBothWidths(page);
  await screenshots(page, 'outreach');
  await page.getByRole('link', { name: 'Cymraeg' }).click();
  await expect(h1(page)).toHaveText('Pwy i’w cyrraedd');
  await expect(page.getByRole('table', { name: 'Grwpiau oedran ym mhob ardal, gyda’r rhai sydd bellaf islaw eu cyfran o’r boblogaeth yn gyntaf' })).toContainText('llai na 10');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'English' }).click();

  // Outside voting there is nobody to reach.
  await page.goto(`/officer/rounds/${published}/outreach`);
  await expect(page.getByText('This list is for while voting is open, and voting is not open in this round.')).toBeVisible();
  // A councillor sees the figures in use, and no way to import new ones.
  await page.goto('/officer/population');
  await expect(h1(page)).toHaveText('Population and deprivation');
  await expect(page.getByRole('link', { name: /^Import population figures/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import the deprivation look-up' })).toHaveCount(0);
  await expectAccessible(page);
  await context.close();
});
