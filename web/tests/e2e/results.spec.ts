// Results: the demo's published round, its files at the web client's one
// address, its close checkpoint and the council's signature of it, checking
// a receipt, and the staff side: a round counted at close (its checkpoint
// emailed to the groups first), the councillor's provisional result,
// publishing after a confirmation, a correction as a new version, and CSV
// for council reports. Asking for the checkpoint by email, and stopping.
import { createPublicKey, verify } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { API_URL } from './env.js';
import { DEMO, apiSession, roundId, emailsTo, expectAccessible, folderCount, newPerson, screenshots, signIn, checkBothWidths } from './helpers.js';

/** A round's close checkpoint and signature, as the API gives them to anyone. */
async function apiCheckpoint(id: string): Promise<{ closeCheckpoint: string | null; closeCheckpointSignature: string | null }> {
  const res = await fetch(`${API_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($id: ID!) { round(id: $id) { closeCheckpoint closeCheckpointSignature } }', variables: { id } }),
  });
  const { data } = (await res.json()) as { data: { round: { closeCheckpoint: string | null; closeCheckpointSignature: string | null } } };
  return data.round;
}

/**
 * The "Close checkpoint" section on the page: the checkpoint and signature
 * it shows, the same as the API's, and the signature checked with the
 * council's public key from the link, fetched at the web's own address.
 */
async function expectCheckpointSection(page: Page, id: string): Promise<string> {
  // A section of the round's page, and part of the results page's section for people checking the count.
  await expect(page.getByRole('heading', { name: 'Close checkpoint', exact: true })).toBeVisible();
  await expect(page.getByText('a fingerprint of the votes sealed when voting closed, recorded before anything was counted')).toBeVisible();
  const shown = page.locator('pre.app-code--select code');
  const checkpoint = (await shown.nth(0).innerText()).trim();
  const signature = (await shown.nth(1).innerText()).trim();
  expect(checkpoint).toMatch(/^[0-9a-f]{64}$/);
  expect(signature).toMatch(/^[0-9a-f]{128}$/);
  expect(await apiCheckpoint(id)).toEqual({ closeCheckpoint: checkpoint, closeCheckpointSignature: signature });
  await expect(page.getByText(`tally verify bundle.tar --checkpoint ${checkpoint}`)).toBeVisible();
  const keyHref = await page.getByRole('link', { name: 'The council’s public key, to check the signature' }).getAttribute('href');
  expect(keyHref).toBe('/.well-known/fairshare-signing-key');
  const key = await page.request.get(keyHref!);
  expect(key.status()).toBe(200);
  const body = (await key.json()) as { algorithm: string; public_key: string };
  expect(body.algorithm).toBe('Ed25519');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(body.public_key, 'hex').toString('base64url') }, format: 'jwk' });
  const signed = Buffer.from(`fairshare close checkpoint\nround ${id}\n${checkpoint}\n`);
  expect(verify(null, signed, publicKey, Buffer.from(signature, 'hex')), 'the signature checks out with the council’s key').toBe(true);
  return checkpoint;
}

test.describe.configure({ mode: 'serial' });

test('results: the demo’s published round in English and Welsh, its files at the same address, and receipt errors', async ({ browser }) => {
  const id = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);
  const page = await context.newPage();

  await page.goto(`/rounds/${id}`);
  // Voting has closed: the round's page has its close checkpoint, and no form to get it by email.
  const checkpoint = await expectCheckpointSection(page, id);
  await expect(page.getByRole('heading', { name: 'Get the close checkpoint by email' })).toHaveCount(0);
  await checkBothWidths(page);
  await screenshots(page, 'round-close-checkpoint');
  await page.getByRole('button', { name: 'See the results' }).click();
  await expect(page).toHaveURL(new RegExp(`/rounds/${id}/results$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results');
  await expect(page.getByText('Version 1. Published on')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Hyde Park and Woodhouse' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Chapel Allerton' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Projects funded' }).first()).toBeVisible();
  await expect(page.getByText('On paper: 40')).toBeVisible();
  await expect(page.getByText('On paper: 20')).toBeVisible();
  await page.getByText('How the count worked, step by step').first().click();
  await expect(page.locator('details[open] ol li').first()).toBeVisible();
  // The chart of votes and money per project, behind a details: its figures are in the tables of projects funded and not funded.
  await page.getByText('Votes and money for each project').first().click();
  const votesChart = page.getByRole('figure', { name: 'Votes for each project' }).first();
  await expect(votesChart.getByRole('listitem').first()).toContainText('(funded)');
  await expect(votesChart.getByRole('listitem').first()).toContainText(/\d+ votes?/);
  const moneyChart = page.getByRole('figure', { name: /^Money for each project, out of £/ }).first();
  await expect(moneyChart.getByRole('listitem').first()).toContainText(/£[\d,.]+ given/);
  const firstVotes = (await votesChart.getByRole('listitem').first().locator('.app-chart__figure').innerText()).trim();
  await expect(page.getByRole('table', { name: /^Projects funded: / }).first().getByRole('row').nth(1)).toContainText(firstVotes);
  await expect(page.getByText(`/rounds/${id}/results/v1/bundle.tar`)).toContainText('tally verify bundle.tar');
  // The close checkpoint, and the command with it beside the other tally verify commands.
  expect(await expectCheckpointSection(page, id)).toBe(checkpoint);
  const check = page.locator('#check ~ pre');
  await expect(check.nth(0)).toContainText('tally verify bundle.tar');
  await expect(check.nth(1)).toHaveText(`tally verify bundle.tar --checkpoint ${checkpoint}`);
  await expect(check.nth(2)).toContainText('tally verify bundle.tar --receipt');
  await checkBothWidths(page);
  await screenshots(page, 'results');

  // The files come from the API through the web client's own address.
  const bundleHref = await page.getByRole('link', { name: 'Everything in one file (bundle.tar)' }).getAttribute('href');
  expect(bundleHref).toBe(`/rounds/${id}/results/v1/bundle.tar`);
  const bundle = await page.request.get(bundleHref!);
  expect(bundle.status()).toBe(200);
  expect(bundle.headers()['content-type']).toBe('application/x-tar');
  expect((await bundle.body()).subarray(257, 262).toString()).toBe('ustar');
  const manifest = await page.request.get(`/rounds/${id}/results/v1/round.json`);
  expect(manifest.status()).toBe(200);
  expect(await manifest.json()).toMatchObject({ version: 1 });
  const ballotsHref = await page.getByRole('link', { name: /The votes, without names/ }).first().getAttribute('href');
  expect(await (await page.request.get(ballotsHref!)).text()).toMatch(/^META/);
  for (const name of ['round.json', 'config.json', 'commitments.txt', 'audit.jsonl']) {
    const href = await page.getByRole('link', { name: new RegExp(`\\(${name.replace('.', '\\.')}\\)`) }).getAttribute('href');
    expect((await page.request.get(href!)).status(), name).toBe(200);
  }
  // A version that does not exist is the web's 404, and a file of one is the API's.
  expect((await page.request.get(`/rounds/${id}/results?version=9`)).status()).toBe(404);
  expect((await page.request.get(`/rounds/${id}/results/v9/round.json`)).status()).toBe(404);

  // Checking a receipt: the errors.
  await page.getByRole('button', { name: 'Check your receipt' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your receipt');
  await checkBothWidths(page);
  await page.getByRole('button', { name: 'Check the receipt' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter your receipt code');
  await expect(page).toHaveTitle(/^Error: Check your receipt/);
  await page.getByLabel('Receipt code').fill('not a code');
  await page.getByRole('button', { name: 'Check the receipt' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a receipt code of 16 letters and numbers');
  await expect(page.getByLabel('Receipt code')).toHaveValue('not a code');
  await page.getByLabel('Receipt code').fill('0000-0000-0000-0000');
  await page.getByRole('button', { name: 'Check the receipt' }).click();
  await expect(page.getByRole('alert')).toContainText('We could not find this receipt code in the count');
  await checkBothWidths(page);

  // In Welsh.
  await page.goto(`/rounds/${id}/results?lang=cy`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Canlyniadau');
  await expect(page.getByText('Ar bapur: 40')).toBeVisible();
  // The count's explanation and the chart are in Welsh too.
  await expect(page.locator('ol[lang="en"]')).toHaveCount(0);
  await page.getByText('Sut aeth y cyfrif, gam wrth gam').first().click();
  await expect(page.locator('details[open] ol li').first()).toHaveText(/^Rownd 1: cafodd .+ gyllid/);
  await page.getByText('Pleidleisiau ac arian ar gyfer pob prosiect').first().click();
  await expect(page.getByRole('figure', { name: 'Pleidleisiau ar gyfer pob prosiect' }).first()).toContainText('(wedi cael cyllid)');
  await expect(page.getByRole('heading', { level: 3, name: 'Pwynt gwirio’r cau' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Allwedd gyhoeddus y cyngor, i wirio’r llofnod' })).toBeVisible();
  await expect(page.getByText(`tally verify bundle.tar --checkpoint ${checkpoint}`)).toBeVisible();
  await checkBothWidths(page);
  await screenshots(page, 'cy-results');
  await page.goto(`/rounds/${id}/receipt`);
  await page.getByRole('button', { name: 'Gwirio’r dderbynneb' }).click();
  await expect(page.getByRole('alert')).toContainText('Rhowch god eich derbynneb');
  await expect(page).toHaveTitle(/^Gwall: Gwirio eich derbynneb/);
  await checkBothWidths(page);
  await context.close();
});

test('results: counted at close, published by a councillor after confirming, a receipt checked, a correction, CSV', async ({ browser }) => {
  test.setTimeout(180_000);
  // A round in voting with three bids in Hyde Park and Woodhouse, and two
  // voters. An administrator sets it up (they may do what officers do), so
  // the officer's sign-in codes are left for the other journeys.
  const officer = await apiSession(DEMO.admin);
  const chair = await apiSession(DEMO.chair);
  const { areas } = await officer('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id;
  const { me } = await chair('{ me { groups { id name } } }');
  const groupRow = me.groups.find((g: { name: string }) => g.name === 'Woodhouse Moor Friends');
  const group = groupRow.id as string;
  const { group: groupContact } = await chair('query($id: ID!) { group(id: $id) { contactEmail } }', { id: group });
  const { createRound } = await officer('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title: 'Autumn Lanterns 2026',
      pots: [{ areaId: area, amountPence: 500000 }],
      ballot: { kind: 'APPROVAL', maxChoices: 2 },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: true },
    },
  });
  const id = createRound.id as string;
  await officer('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id });
  const bids: Record<string, string> = {};
  for (const [title, cost] of [['Lantern workshop', 200000], ['Lantern parade', 250000], ['Fairy lights on the Moor', 150000]] as const) {
    const { submitBid } = await chair('mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }', {
      i: { roundId: id, groupId: group, areaId: area, details: { title, summary: `${title}, for everyone.`, description: 'What the project does, who it helps and how it is looked after.', costPence: cost, category: 'culture' } },
    });
    await officer('mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { id } }', { id: submitBid.id });
    bids[title] = submitBid.id;
  }
  await officer('mutation($id: ID!) { advanceRound(id: $id, to: BID_REVIEW) { id } }', { id });
  await officer('mutation($id: ID!) { advanceRound(id: $id, to: VOTING) { id } }', { id });
  const receipts: string[] = [];
  for (const [i, [email, name, picks]] of ([
    ['rhian.results@example.org', 'Rhian Results', ['Lantern workshop', 'Lantern parade']],
    ['sol.second@example.org', 'Sol Second', ['Lantern parade']],
  ] as const).entries()) {
    const voter = await apiSession(email);
    await voter('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
      r: id,
      p: { name, dateOfBirth: `198${i}-03-03`, postcode: 'LS6 2AA', relation: 'LIVE' },
    });
    const { castBallot } = await voter('mutation($i: CastBallotInput!) { castBallot(input: $i) { receipt { code } } }', {
      i: { roundId: id, choices: picks.map((t) => ({ bidId: bids[t] })), idempotencyKey: `results-${i}` },
    });
    receipts.push(castBallot.receipt.code);
  }
  // Closing voting seals the ballots, emails the checkpoint to the groups, then counts the round.
  const mailBefore = folderCount('mail');
  const { advanceRound } = await officer('mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { id phase } }', { id });
  expect(['CLOSED', 'COUNTED']).toContain(advanceRound.phase);

  // Nobody else sees a figure before publication.
  const visitor = await newPerson(browser);
  const publicPage = await visitor.newPage();
  await publicPage.goto(`/rounds/${id}/results`);
  await expect(publicPage.getByRole('heading', { level: 1 })).toHaveText('The results are not published yet');
  // The checkpoint is public at once, before any figure, and the group holds it by email.
  const closed = await expectCheckpointSection(publicPage, id);
  await expect.poll(() => emailsTo(groupContact.contactEmail as string, mailBefore).some((m) => m.body.includes(closed)), { message: 'the checkpoint emailed to the group' }).toBe(true);
  await checkBothWidths(publicPage);
  await publicPage.goto(`/rounds/${id}`);
  expect(await expectCheckpointSection(publicPage, id)).toBe(closed);
  await publicPage.goto(`/rounds/${id}/receipt`);
  await expect(publicPage.getByText('You can check your receipt once the results of this round are published.')).toBeVisible();

  // The councillor: the provisional result, CSV, then publishing after a confirmation.
  const councillorContext = await newPerson(browser);
  const page = await councillorContext.newPage();
  await page.goto(`/officer/rounds/${id}`);
  await signIn(page, DEMO.councillor, `/officer/rounds/${id}`);
  await expect(page.getByRole('heading', { level: 2, name: 'Provisional result' })).toBeVisible();
  await expect(page.getByText('Provisional: not public')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Projects funded' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Lantern parade' }).first()).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'staff-provisional-result');
  const provisionalCsv = await page.getByRole('link', { name: /provisional result as CSV/ }).getAttribute('href');
  const csv = await page.request.get(provisionalCsv!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toMatch(/^bid_id,title,cost_pence,funded,support\n/);

  await page.getByRole('button', { name: 'Publish the result' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to publish the result?');
  await expectAccessible(page);
  await screenshots(page, 'staff-publish');
  await page.getByRole('button', { name: 'Publish the result' }).click();
  await expect(page.getByText('The result was published.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Result', exact: true })).toBeVisible();
  await expect(page.getByText('Provisional: not public')).toHaveCount(0);

  // Anyone: the result and a receipt, typed loosely.
  await publicPage.goto(`/rounds/${id}/results`);
  await expect(publicPage.getByRole('heading', { level: 1 })).toHaveText('Results');
  await expect(publicPage.getByText('Version 1. Published on')).toBeVisible();
  await publicPage.goto(`/rounds/${id}/receipt`);
  await publicPage.getByLabel('Receipt code').fill(receipts[0]!.toLowerCase().replaceAll('-', ' '));
  await publicPage.getByRole('button', { name: 'Check the receipt' }).click();
  await expect(publicPage.getByRole('heading', { level: 1 })).toHaveText('Your vote is in the count');
  await expect(publicPage.locator('.govuk-panel')).toContainText(receipts[0]!);
  await expect(publicPage.locator('dd', { hasText: /^\s*[12] of 2\s*$/ })).toBeVisible();
  await checkBothWidths(publicPage);
  await screenshots(publicPage, 'receipt-found');
  await publicPage.goto(`/rounds/${id}/receipt?lang=cy`);
  await publicPage.getByLabel('Cod y dderbynneb').fill(receipts[1]!);
  await publicPage.getByRole('button', { name: 'Gwirio’r dderbynneb' }).click();
  await expect(publicPage.getByRole('heading', { level: 1 })).toHaveText('Mae eich pleidlais yn y cyfrif');
  await checkBothWidths(publicPage);
  await publicPage.goto(`/rounds/${id}/results?lang=en`);

  // A correction: the reason is required; the bid left out is no longer funded.
  await page.getByRole('button', { name: 'Publish a correction' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Publish a correction');
  await page.getByRole('button', { name: 'Publish the correction' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the reason for the correction');
  await expectAccessible(page);
  await screenshots(page, 'staff-correct');
  await page.getByLabel('Why is the result being corrected?').fill('The lantern parade cannot go ahead: the road cannot be closed.');
  await page.getByRole('checkbox', { name: 'Lantern parade' }).check();
  await page.getByRole('button', { name: 'Publish the correction' }).click();
  await expect(page.getByText('The correction was published as a new version of the result.')).toBeVisible();
  await expect(page.getByText('Version 2, published')).toBeVisible();
  await expect(page.locator('#version-1')).toBeVisible();
  const publishedCsv = await page.getByRole('link', { name: /The result as CSV/ }).getAttribute('href');
  expect(publishedCsv).toMatch(new RegExp(`^/officer/rounds/${id}/results/v2/pot-\\d+\\.csv$`));
  const csv2 = await page.request.get(publishedCsv!);
  // A title is quoted when it needs to be, or always: either reads the same.
  expect(await csv2.text()).toMatch(/\n\d+,"?Lantern parade"?,250000,no,\n/);
  await expect(page.getByText('Left out by a correction')).toBeVisible();

  // Anyone sees both versions, each with its reason.
  await publicPage.goto(`/rounds/${id}/results`);
  await expect(publicPage.getByText('Version 2. Published on')).toBeVisible();
  await expect(publicPage.getByText('This result was corrected')).toBeVisible();
  // A correction counts the same sealed files: the checkpoint is the one sent at the close.
  expect(await expectCheckpointSection(publicPage, id)).toBe(closed);
  await expect(publicPage.getByText('The lantern parade cannot go ahead: the road cannot be closed.').first()).toBeVisible();
  await checkBothWidths(publicPage);
  await screenshots(publicPage, 'results-corrected');
  await publicPage.getByRole('link', { name: 'Version 1' }).click();
  await expect(publicPage).toHaveURL(new RegExp(`/rounds/${id}/results\\?version=1$`));
  await expect(publicPage.getByText('This is an earlier version of the result')).toBeVisible();
  await expect(publicPage.getByRole('link', { name: 'Lantern parade' })).toBeVisible();
  await checkBothWidths(publicPage);
  await publicPage.goto(`/rounds/${id}/results?version=1&lang=cy`);
  await expect(publicPage.getByText('Fersiwn gynharach o’r canlyniad yw hon')).toBeVisible();
  await checkBothWidths(publicPage);
  await visitor.close();
  await councillorContext.close();
});

test('results: the results page and checking a receipt with JavaScript turned off', async ({ browser }) => {
  const id = await roundId('Spring Greens 2026');
  const context = await newPerson(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/rounds/${id}/results`);
  await page.getByText('How the count worked, step by step').first().click();
  await expect(page.locator('details[open] ol li').first()).toBeVisible();
  await page.getByRole('button', { name: 'Check your receipt' }).click();
  await page.getByLabel('Receipt code').fill('7K3M-9QXD-2RTF-HJ4W');
  await page.getByRole('button', { name: 'Check the receipt' }).click();
  await expect(page.getByRole('alert')).toContainText('We could not find this receipt code in the count');
  await expect(page.getByLabel('Receipt code')).toHaveValue('7K3M-9QXD-2RTF-HJ4W');
  await context.close();
});
