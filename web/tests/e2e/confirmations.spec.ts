// Actions that cannot be undone ask first: closing voting, cancelling a
// round and deleting your verification each lead to a confirmation page
// that says what will happen; nothing changes until its button, and Cancel
// goes back. The rounds are set up through the API by a fresh admin, so
// the demo's staff addresses keep their sign-in codes for other journeys.
import { expect, test } from '@playwright/test';
import { apiSession, expectAccessible, expectNoHorizontalScroll, newPerson, screenshots, signIn, makeAdmin } from './helpers.js';

type Api = Awaited<ReturnType<typeof apiSession>>;

/** A round (a draft), or one in voting with one eligible bid from a group `chair` registers. */
async function round(staff: Api, title: string, chair?: Api) {
  const { areas } = await staff('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id as string;
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title,
      pots: [{ areaId: area, amountPence: 1000000 }],
      ballot: { kind: 'APPROVAL' },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: true },
    },
  });
  const id = createRound.id as string;
  let bid: string | undefined;
  if (chair) {
    await staff('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id });
    const { registerGroup } = await chair('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
      i: { name: `${title} friends`, description: 'Looking after the park.', contactEmail: 'friends@example.org', areaId: area },
    });
    const { submitBid } = await chair('mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }', {
      i: { roundId: id, groupId: registerGroup.id, areaId: area, details: { title: 'Bulb planting', summary: 'Bulbs, for everyone.', description: 'What the project does, who it helps and how it is looked after.', costPence: 300000, category: 'environment' } },
    });
    bid = submitBid.id as string;
    await staff('mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { id } }', { id: bid });
    await staff('mutation($id: ID!) { advanceRound(id: $id, to: BID_REVIEW) { id } }', { id });
    await staff('mutation($id: ID!) { advanceRound(id: $id, to: VOTING) { id } }', { id });
  }
  return { id, bid };
}

test('officer: closing voting and cancelling a round each ask first, and Cancel changes nothing', async ({ browser }) => {
  test.setTimeout(120_000);
  const email = 'cora.confirm@example.org';
  makeAdmin(email);
  const staff = await apiSession(email);
  const voting = await round(staff, 'Confirmation fund: voting', await apiSession('cal.chair@example.org'));
  const draft = await round(staff, 'Confirmation fund: draft');
  // A draft is not public: its stage as the officer sees it.
  const phaseOf = async (id: string) => (await staff('query($id: ID!) { round(id: $id) { phase } }', { id })).round.phase as string;

  const context = await newPerson(browser);
  const page = await context.newPage();
  const heading = page.getByRole('heading', { level: 1 });
  await page.goto(`/officer/rounds/${voting.id}`);
  await signIn(page, email, `/officer/rounds/${voting.id}`);
  await expect(heading).toHaveText('Confirmation fund: voting');

  // Closing voting.
  await page.getByRole('button', { name: 'Move to: Voting closed' }).click();
  await expect(heading).toHaveText('Are you sure you want to close voting?');
  await expect(page.getByText('nobody can vote or change their vote after this')).toBeVisible();
  await expect(page.locator('.govuk-warning-text')).toContainText('You cannot undo this.');
  expect(await phaseOf(voting.id)).toBe('VOTING');
  await expectAccessible(page);
  await screenshots(page, 'round-close-voting');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(heading).toHaveText('Confirmation fund: voting');
  await expect(page.locator('.govuk-summary-list')).toContainText('Voting open');
  expect(await phaseOf(voting.id)).toBe('VOTING');
  await page.getByRole('button', { name: 'Move to: Voting closed' }).click();
  await page.getByRole('button', { name: 'Close voting' }).click();
  await expect(page.getByText('The round moved on.')).toBeVisible();
  await expect.poll(() => phaseOf(voting.id)).toMatch(/^(CLOSED|COUNTED)$/);
  // The address of the confirmation, once the move is made, leads back to the round.
  await page.goto(`/officer/rounds/${voting.id}/move/closed`);
  await expect(heading).toHaveText('Confirmation fund: voting');

  // Cancelling a round.
  await page.goto(`/officer/rounds/${draft.id}`);
  await page.getByRole('button', { name: 'Cancel the round' }).click();
  await expect(heading).toHaveText('Are you sure you want to cancel the round?');
  await expect(page.getByText('the round stops for good: nobody can send a bid or vote in it')).toBeVisible();
  await expect(page.getByText('nothing is counted and no result is published')).toBeVisible();
  expect(await phaseOf(draft.id)).toBe('DRAFT');
  await expectAccessible(page);
  await screenshots(page, 'round-cancel');
  await page.getByRole('link', { name: 'Cancel', exact: true }).click();
  await expect(heading).toHaveText('Confirmation fund: draft');
  expect(await phaseOf(draft.id)).toBe('DRAFT');
  await page.getByRole('button', { name: 'Cancel the round' }).click();
  await page.getByRole('button', { name: 'Cancel the round' }).click();
  await expect(page.getByText('The round was cancelled.')).toBeVisible();
  await expect(page.locator('.govuk-summary-list')).toContainText('Cancelled');
  expect(await phaseOf(draft.id)).toBe('CANCELLED');
  await context.close();
});

test('resident: deleting your verification asks first, in English and Welsh, and withdraws the vote cast while voting is open', async ({ browser }) => {
  test.setTimeout(120_000);
  const officer = 'dara.confirm@example.org';
  const email = 'vera.verified@example.org';
  makeAdmin(officer);
  const staff = await apiSession(officer);
  const resident = await apiSession(email);
  const { id, bid } = await round(staff, 'Confirmation fund: residents', resident);
  await resident('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
    r: id,
    p: { name: 'Vera Verified', dateOfBirth: '1981-03-04', postcode: 'LS6 2AA', relation: 'LIVE' },
  });
  await resident('mutation($i: CastBallotInput!) { castBallot(input: $i) { replaced } }', { i: { roundId: id, choices: [{ bidId: bid }], idempotencyKey: 'confirm-1' } });
  const verified = async () => (await resident('{ myVerifications { roundId verified } }')).myVerifications.filter((v: { roundId: string; verified: boolean }) => v.roundId === id && v.verified).length;
  const turnout = async () => (await staff('query($r: ID!) { turnout(roundId: $r) { voted } }', { r: id })).turnout.voted as number;
  expect(await turnout()).toBe(1);

  const context = await newPerson(browser);
  const page = await context.newPage();
  const heading = page.getByRole('heading', { level: 1 });
  await page.goto('/account');
  await signIn(page, email);
  await expect(heading).toHaveText('Your account');
  const remove = page.getByRole('button', { name: 'Delete my verification for Confirmation fund: residents' });

  await remove.click();
  await expect(heading).toHaveText('Are you sure you want to delete your verification for Confirmation fund: residents?');
  await expect(page.getByText('To vote in this round, you will have to prove who you are again.')).toBeVisible();
  await expect(page.getByText('You have already voted in this round. While voting is open, your vote is withdrawn with your verification: to be counted, prove who you are again and vote again before voting closes.')).toBeVisible();
  await expect(page.locator('.govuk-warning-text')).toContainText('You cannot undo this.');
  expect(await verified()).toBe(1);
  await expectAccessible(page);
  await screenshots(page, 'verification-delete');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(heading).toHaveText('Your account');
  await expect(page.getByRole('link', { name: /Change your vote/ })).toBeVisible();
  expect(await verified()).toBe(1);

  // In Welsh, on a narrow screen.
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto('/account?lang=cy');
  await page.getByRole('button', { name: 'Dileu fy ngwiriad ar gyfer Confirmation fund: residents' }).click();
  await expect(heading).toHaveText('Ydych chi’n siŵr eich bod am ddileu eich gwiriad ar gyfer Confirmation fund: residents?');
  await expect(page.getByText('I bleidleisio yn y cylch hwn, bydd yn rhaid i chi brofi pwy ydych chi eto.')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expectAccessible(page);
  await expectNoHorizontalScroll(page);
  await page.getByRole('link', { name: 'Canslo' }).click();
  await expect(heading).toHaveText('Eich cyfrif');
  expect(await verified()).toBe(1);
  await page.goto('/account?lang=en');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Deleting it: the verification goes, and the vote with it (otherwise
  // proving who you are again would count you twice).
  await remove.click();
  await page.getByRole('button', { name: 'Delete my verification', exact: true }).click();
  await expect(heading).toHaveText('Your account');
  await expect(page.getByText('Your verification was deleted.')).toBeVisible();
  await expect(remove).toHaveCount(0);
  expect(await verified()).toBe(0);
  expect(await turnout()).toBe(0);
  await context.close();
});
