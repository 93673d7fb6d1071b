// Voting, for each kind of ballot: the ballot page, check answers, the
// receipt, and changing the vote. Officers enter an assisted ballot and
// read the turnout. The rounds are set up through the API first. The
// demo's resident votes, then asks for the round's close checkpoint by
// email and stops.
import { expect, test, type Page } from '@playwright/test';
import { DEMO, apiSession, codeFor, expectAccessible, folderCount, newPerson, screenshots, signIn } from './helpers.js';

type Kind = 'APPROVAL' | 'KNAPSACK' | 'RANKED' | 'SCORING' | 'POINTS_ALLOCATION' | 'MONEY_ALLOCATION';

const BALLOTS: Record<Kind, { ballot: Record<string, unknown>; rule: Record<string, unknown> }> = {
  APPROVAL: { ballot: { kind: 'APPROVAL', maxChoices: 2 }, rule: { name: 'greedy' } },
  KNAPSACK: { ballot: { kind: 'KNAPSACK' }, rule: { name: 'greedy' } },
  RANKED: { ballot: { kind: 'RANKED', maxChoices: 3 }, rule: { name: 'irv', seats: 1 } },
  SCORING: { ballot: { kind: 'SCORING', scoreMin: 0, scoreMax: 5 }, rule: { name: 'greedy' } },
  POINTS_ALLOCATION: { ballot: { kind: 'POINTS_ALLOCATION', pointsTotal: 10, pointsMaxPerBid: 6 }, rule: { name: 'greedy' } },
  MONEY_ALLOCATION: { ballot: { kind: 'MONEY_ALLOCATION' }, rule: { name: 'greedy' } },
};
const BIDS = [
  { title: 'Bulb planting on Woodhouse Street', cost: 300000 },
  { title: 'Benches by the bowling green', cost: 700000 },
  { title: 'Bike repair days', cost: 200000 },
];

/** Rounds in voting, one per ballot kind, each with three eligible bids in Hyde Park and Woodhouse. */
async function roundsInVoting(voters: { email: string; name: string; kinds: Kind[] }[]): Promise<Record<Kind, string>> {
  const officer = await apiSession(DEMO.officer);
  const chair = await apiSession(DEMO.chair);
  const { areas } = await officer('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id;
  const { me } = await chair('{ me { groups { id name } } }');
  const group = me.groups.find((g: { name: string }) => g.name === 'Woodhouse Moor Friends').id;
  const out = {} as Record<Kind, string>;
  for (const kind of Object.keys(BALLOTS) as Kind[]) {
    const { createRound } = await officer(
      'mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }',
      {
        i: {
          title: `Test fund: ${kind.toLowerCase().replace('_', ' ')}`,
          pots: [{ areaId: area, amountPence: 1000000 }],
          ballot: BALLOTS[kind].ballot,
          countingRule: BALLOTS[kind].rule,
          eligibility: { relations: ['LIVE'], methods: ['POSTCODE', 'IN_PERSON'], postcodeAloneEnough: true, acceptLowAssurance: true },
        },
      },
    );
    const id = createRound.id as string;
    await officer('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id });
    for (const b of BIDS) {
      const { submitBid } = await chair('mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }', {
        i: { roundId: id, groupId: group, areaId: area, details: { title: b.title, summary: `${b.title}, for everyone.`, description: 'What the project does, who it helps and how it is looked after.', costPence: b.cost, category: 'environment' } },
      });
      await officer('mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { id } }', { id: submitBid.id });
    }
    await officer('mutation($id: ID!) { advanceRound(id: $id, to: BID_REVIEW) { id } }', { id });
    await officer('mutation($id: ID!) { advanceRound(id: $id, to: VOTING) { id } }', { id });
    out[kind] = id;
  }
  // Each person may declare their details a few times a day: share the rounds out.
  for (const [i, v] of voters.entries()) {
    const voter = await apiSession(v.email);
    for (const kind of v.kinds) {
      await voter('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
        r: out[kind],
        p: { name: v.name, dateOfBirth: `197${i}-05-05`, postcode: 'LS6 2AA', relation: 'LIVE' },
      });
    }
  }
  return out;
}

async function checkAndSend(page: Page, name: string) {
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your vote before you send it');
  await expectAccessible(page);
  await screenshots(page, `vote-check-${name}`);
  await page.getByRole('button', { name: 'Send my vote' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vote received');
  await expect(page.locator('.app-receipt').first()).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
}

test.describe.configure({ mode: 'serial' });

test('voting: every kind of ballot, with and without JavaScript, check answers, receipt, change of vote', async ({ browser }) => {
  test.setTimeout(240_000);
  const email = 'val.voter@example.org';
  const second = 'nora.nojs@example.org';
  const rounds = await roundsInVoting([
    { email, name: 'Val Voter', kinds: ['APPROVAL', 'KNAPSACK', 'RANKED', 'SCORING', 'POINTS_ALLOCATION'] },
    { email: second, name: 'Nora Nojs', kinds: ['MONEY_ALLOCATION', 'KNAPSACK'] },
  ]);
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/account');
  await signIn(page, email, '/account');

  // Approval, with "picks left" as you choose.
  await page.goto(`/rounds/${rounds.APPROVAL}`);
  await page.getByRole('button', { name: 'Vote now' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose the projects you support');
  await expect(page.getByText('You can choose 2 more projects')).toBeVisible();
  await page.getByLabel('Bulb planting on Woodhouse Street').check();
  await expect(page.getByText('You can choose 1 more project', { exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'vote-approval');
  await page.getByLabel('Benches by the bowling green').check();
  await page.getByLabel('Bike repair days').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('You have chosen 3 projects: choose no more than 2');
  await page.getByLabel('Bike repair days').uncheck();
  await checkAndSend(page, 'approval');
  await screenshots(page, 'vote-receipt');
  // Change the vote until voting closes.
  await page.getByRole('link', { name: 'Change your vote' }).click();
  await expect(page.getByText(/You voted on/)).toBeVisible();
  await expect(page.getByLabel('Benches by the bowling green')).toBeChecked();
  await page.getByLabel('Benches by the bowling green').uncheck();
  await page.getByLabel('Bike repair days').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send my vote' }).click();
  await expect(page.getByText('This vote replaces the one you sent before')).toBeVisible();

  // Knapsack: the running total against the pot, live.
  await page.goto(`/rounds/${rounds.KNAPSACK}/vote`);
  await page.getByLabel('Benches by the bowling green').check();
  await page.getByLabel('Bulb planting on Woodhouse Street').check();
  await expect(page.getByText('Chosen so far: £10,000 of £10,000. Left: £0.')).toBeVisible();
  await page.getByLabel('Bike repair days').check();
  await expect(page.getByText('That is £2,000 more than the money for this area')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'vote-knapsack');
  await page.getByLabel('Bulb planting on Woodhouse Street').uncheck();
  await checkAndSend(page, 'knapsack');

  // Ranked: move-up and move-down buttons, by keyboard.
  await page.goto(`/rounds/${rounds.RANKED}/vote`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Put projects in order of preference');
  await page.getByRole('button', { name: /^Move up\s+Bike repair days$/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: /^Move up\s+Bike repair days$/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Bike repair days is now 1st')).toBeAttached();
  await expect(page.getByLabel('Your ranking for Bike repair days')).toHaveValue('1');
  await page.getByLabel('Your ranking for Bulb planting on Woodhouse Street').selectOption('2');
  await expectAccessible(page);
  await screenshots(page, 'vote-ranked');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your vote before you send it');
  await expect(page.getByText('1st')).toBeVisible();
  await page.getByRole('button', { name: 'Send my vote' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vote received');

  // Scoring: a labelled scale for each bid.
  await page.goto(`/rounds/${rounds.SCORING}/vote`);
  await page.getByRole('group', { name: 'Your score for Bulb planting on Woodhouse Street' }).getByLabel('5').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose a score for Benches by the bowling green');
  await page.getByRole('group', { name: 'Your score for Benches by the bowling green' }).getByLabel('2').check();
  await page.getByRole('group', { name: 'Your score for Bike repair days' }).getByLabel('0').check();
  await expectAccessible(page);
  await screenshots(page, 'vote-scoring');
  await checkAndSend(page, 'scoring');

  // Points: the remainder as you type.
  await page.goto(`/rounds/${rounds.POINTS_ALLOCATION}/vote`);
  await page.getByLabel('Points for Bulb planting on Woodhouse Street').fill('6');
  await page.getByLabel('Points for Bike repair days').fill('3');
  await expect(page.getByText('1 point left to share out')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'vote-points');
  await checkAndSend(page, 'points');
  await context.close();

  // Money, with JavaScript off: "Update what is left" asks the server.
  const nojs = await newPerson(browser, { javaScriptEnabled: false });
  const p2 = await nojs.newPage();
  await p2.goto('/account');
  await signIn(p2, second, '/account');
  await p2.goto(`/rounds/${rounds.MONEY_ALLOCATION}/vote`);
  await p2.getByLabel('Money for Benches by the bowling green').fill('7000');
  await p2.getByRole('button', { name: 'Update what is left' }).click();
  await expect(p2.getByText('£3,000 left to share out')).toBeVisible();
  await p2.getByLabel('Money for Bike repair days').fill('2000');
  await p2.getByRole('button', { name: 'Continue' }).click();
  await expect(p2.getByRole('heading', { level: 1 })).toHaveText('Check your vote before you send it');
  await p2.getByRole('button', { name: 'Send my vote' }).click();
  await expect(p2.getByRole('heading', { level: 1 })).toHaveText('Vote received');
  // Knapsack without JavaScript: the total is computed on the server.
  await p2.goto(`/rounds/${rounds.KNAPSACK}/vote`);
  await p2.getByLabel('Bike repair days').check();
  await p2.getByLabel('Benches by the bowling green').check();
  await p2.getByRole('button', { name: 'Update the total' }).click();
  await expect(p2.getByText('Chosen so far: £9,000 of £10,000. Left: £1,000.')).toBeVisible();
  await nojs.close();

  // The officer: turnout by area and channel, never choices; an assisted ballot.
  const officer = await newPerson(browser);
  const op = await officer.newPage();
  await op.goto(`/officer/rounds/${rounds.APPROVAL}`);
  await signIn(op, DEMO.officer, `/officer/rounds/${rounds.APPROVAL}`);
  await op.getByRole('link', { name: 'Verify a resident in person' }).click();
  await op.getByLabel('Full name').fill('Ada Assisted');
  await op.getByLabel('Day').fill('1');
  await op.getByLabel('Month').fill('2');
  await op.getByLabel('Year').fill('1940');
  await op.getByLabel('Postcode').fill('LS6 1AA');
  await op.getByLabel('Known to me').check();
  await op.getByRole('button', { name: 'Verify the resident' }).click();
  await op.getByRole('link', { name: 'Enter their paper ballot form' }).click();
  await op.getByLabel('Bike repair days').check();
  await op.getByRole('button', { name: 'Continue' }).click();
  await expect(op.getByRole('heading', { level: 1 })).toHaveText('Check the ballot before you record it');
  await op.getByRole('button', { name: 'Record this ballot' }).click();
  await expect(op.getByRole('heading', { level: 1 })).toHaveText('Ballot recorded');
  await op.goto(`/officer/rounds/${rounds.APPROVAL}/turnout`);
  await expect(op.getByRole('heading', { level: 1 })).toHaveText('Turnout');
  await expect(op.getByText('2 of 2 verified people have voted.')).toBeVisible();
  await expect(op.getByRole('row', { name: /Paper 1/ })).toBeVisible();
  await expect(op.getByRole('row', { name: /Online 1/ })).toBeVisible();
  await expectAccessible(op);
  await screenshots(op, 'officer-turnout');
  await officer.close();
});

test('the demo: its verified resident votes in the round that is voting, and asks for its close checkpoint by email', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('link', { name: 'Summer Streets 2026' }).click();
  const roundUrl = new URL(page.url()).pathname;
  // Voting is open: no checkpoint yet, and a visitor signed out is offered a link to sign in, in either language.
  await expect(page.getByRole('heading', { level: 2, name: 'Get the close checkpoint by email' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Close checkpoint', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Sign in to get the close checkpoint by email' })).toHaveAttribute('href', `/sign-in?next=${encodeURIComponent(`${roundUrl}#close-checkpoint`)}`);
  await expect(page.getByLabel('Email address')).toHaveCount(0);
  await expectAccessible(page);
  await page.goto(`${roundUrl}?lang=cy`);
  await expect(page.getByRole('heading', { level: 2, name: 'Cael pwynt gwirio’r cau drwy e-bost' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Mewngofnodwch i gael pwynt gwirio’r cau drwy e-bost' })).toBeVisible();
  await expectAccessible(page);
  await page.goto(`${roundUrl}?lang=en`);
  await page.getByRole('button', { name: 'Vote now' }).click();
  await signIn(page, 'resident@demo.fairshare.localhost');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose the projects you support');
  await expect(page.getByText('Hyde Park and Woodhouse has £12,000 to spend.')).toBeVisible();
  // Another test may have voted as this resident already: start from an empty ballot.
  for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
  await page.getByLabel('Street tree planting').check();
  await page.getByLabel('Youth murals').check();
  await expect(page.getByText('You can choose 1 more project', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your vote before you send it');
  await page.getByRole('button', { name: 'Send my vote' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vote received');
  // The account page shows the vote per round.
  await page.getByRole('link', { name: 'Your account' }).click();
  await expect(page.getByText(/You voted on \d/)).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'account-voted');

  // The close checkpoint by email: only to the address they sign in with.
  await page.goto(roundUrl);
  await expect(page.getByLabel('Email address')).toBeVisible();
  await expect(page.getByText('The address you sign in with', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Email me the checkpoint' }).click();
  await expect(page).toHaveTitle(/^Error: Summer Streets 2026/);
  await expect(page.getByRole('alert')).toContainText('Enter the email address you sign in with');
  await page.getByLabel('Email address').fill('someone.else@example.org');
  await page.getByRole('button', { name: 'Email me the checkpoint' }).click();
  await expect(page.getByRole('alert')).toContainText('we can only send the checkpoint to your own address');
  await expect(page.getByLabel('Email address')).toHaveValue('someone.else@example.org');
  await expectAccessible(page);
  await screenshots(page, 'round-observe-error');
  // Their own address, however they write its capitals.
  await page.getByLabel('Email address').fill('Resident@Demo.Fairshare.localhost');
  await page.getByRole('button', { name: 'Email me the checkpoint' }).click();
  await expect(page).toHaveURL(new RegExp(`${roundUrl}$`));
  await expect(page.getByText('You will get the close checkpoint by email when voting closes.')).toBeVisible();
  await expect(page.getByText('You asked to get the close checkpoint by email.')).toBeVisible();
  await expect(page.getByLabel('Email address')).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, 'round-observing');
  // The message is shown once; the page remembers the choice.
  await page.reload();
  await expect(page.getByText('You will get the close checkpoint by email when voting closes.')).toHaveCount(0);
  await expect(page.getByText('You asked to get the close checkpoint by email.')).toBeVisible();

  // The same session with JavaScript turned off: stop, and ask again.
  const noScript = await newPerson(browser, { javaScriptEnabled: false, storageState: await context.storageState() });
  const plain = await noScript.newPage();
  await plain.goto(roundUrl);
  await plain.getByRole('button', { name: 'Stop emailing me the close checkpoint' }).click();
  await expect(plain.getByText('We will not email you the close checkpoint.')).toBeVisible();
  await plain.getByLabel('Email address').fill('resident@demo.fairshare.localhost');
  await plain.getByRole('button', { name: 'Email me the checkpoint' }).click();
  await expect(plain.getByText('You will get the close checkpoint by email when voting closes.')).toBeVisible();
  await noScript.close();

  // And stopping with it on: the form is back.
  await page.reload();
  await page.getByRole('button', { name: /^Stop/ }).click();
  await expect(page.getByText('We will not email you the close checkpoint. Your address has been deleted from this round.')).toBeVisible();
  await expect(page.getByLabel('Email address')).toBeVisible();
  await expectAccessible(page);
  await context.close();
});

test('Welsh: the ballot page, its plural forms and its check page, accessible', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/?lang=cy');
  await page.getByRole('link', { name: 'Summer Streets 2026' }).click();
  await page.getByRole('button', { name: 'Pleidleisio nawr' }).click();
  await page.getByLabel('Cyfeiriad e-bost').fill('neighbour@demo.fairshare.localhost');
  const before = folderCount('mail');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await page.getByLabel('Cod', { exact: true }).fill(await codeFor('neighbour@demo.fairshare.localhost', before));
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dewiswch y prosiectau rydych yn eu cefnogi');
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.getByText('Gallwch ddewis 3 phrosiect arall')).toBeVisible();
  await page.getByLabel('Seed library').check();
  await expect(page.getByText('Gallwch ddewis 2 brosiect arall')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'cy-vote');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gwiriwch eich pleidlais cyn i chi ei hanfon');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Anfon fy mhleidlais' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pleidlais wedi dod i law');
  await expectAccessible(page);
  await screenshots(page, 'cy-vote-receipt');
  await context.close();
});
