// Paper ballot forms returned by post: an officer finds whose form it is
// from the voting code on the letter that came back with it, and enters
// the ballot; a code that is not 16 digits, not a live code of the round
// (a newer letter replaces it) or entered after voting has closed is
// refused in plain words. The letters themselves: names and addresses
// from a file, by the reference shown after an in-person check, and a
// batch's files downloaded until the officer says they are printed. Also: a group's pending invitations say who each
// is for, a Welsh bid form's character counts count in Welsh, and the
// Welsh account page says what we keep in Welsh. Every page is checked
// with axe, and at 320 px nothing scrolls sideways.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { apiSession, newPerson, signIn, checkBothWidths, makeAdmin } from './helpers.js';

type Api = Awaited<ReturnType<typeof apiSession>>;

const AREA = 'Hyde Park and Woodhouse';

async function areaId(staff: Api): Promise<string> {
  const { areas } = await staff('{ areas(first: 20) { nodes { id name } } }');
  return areas.nodes.find((a: { name: string }) => a.name === AREA).id as string;
}

/** A round in voting in Hyde Park and Woodhouse with two eligible bids, set up by a fresh admin and a fresh group. */
async function votingRound(staff: Api, chair: Api, title: string) {
  const area = await areaId(staff);
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title,
      pots: [{ areaId: area, amountPence: 400000 }],
      ballot: { kind: 'APPROVAL', maxChoices: 2 },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE', 'IN_PERSON'], postcodeAloneEnough: true, acceptLowAssurance: true },
      schedule: { votingClosesAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
    },
  });
  const id = createRound.id as string;
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id });
  const { registerGroup } = await chair('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: `${title} helpers`, description: 'Looking after the street.', contactEmail: 'street@example.org', areaId: area },
  });
  for (const [t, cost] of [['Bulb planting', 100000], ['Benches by the green', 200000]] as const) {
    const { submitBid } = await chair('mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }', {
      i: { roundId: id, groupId: registerGroup.id, areaId: area, details: { title: t, summary: `${t}, for everyone.`, description: 'What the project does, who it helps and how it is looked after.', costPence: cost, category: 'environment' } },
    });
    await staff('mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { id } }', { id: submitBid.id });
  }
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BID_REVIEW) { id } }', { id });
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: VOTING) { id } }', { id });
  return id;
}

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** Verifies a resident in person on the officer's page; gives the address of the page that posts them a letter. */
async function verifyInPerson(op: Page, round: string, name: string, year: string): Promise<string> {
  await op.goto(`/officer/rounds/${round}/in-person`);
  await op.getByLabel('Full name').fill(name);
  await op.getByLabel('Day').fill('3');
  await op.getByLabel('Month').fill('4');
  await op.getByLabel('Year').fill(year);
  await op.getByLabel('Postcode').fill('LS6 1AA');
  await op.getByLabel('Known to me').check();
  await op.getByRole('button', { name: 'Verify the resident' }).click();
  await expect(h1(op)).toHaveText('Resident verified');
  return (await op.getByRole('link', { name: 'Post them a voting-code letter' }).getAttribute('href')) as string;
}

/** Clicks a button that downloads a file; gives the file's name and contents. */
async function download(op: Page, button: string): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([op.waitForEvent('download'), op.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), body: await readFile((await file.path()) as string) };
}

const CSV_BUTTON = 'Download the file for a print supplier (CSV)';
const PDF_BUTTON = 'Download the letters to print (PDF)';

/** A letters CSV's rows, each by its column names (the values have no commas). */
function csvRows(body: Buffer): Record<string, string>[] {
  const [header, ...rows] = body.toString('utf8').trim().split(/\r?\n/);
  const names = header!.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [names[i], v.replace(/"/g, '')])));
}

/** Issues the round's letters to everyone waiting on the letters page and reads the voting codes in the batch's CSV. */
async function lettersCsv(op: Page, round: string): Promise<string[]> {
  await op.goto(`/officer/rounds/${round}/letters`);
  await op.getByRole('button', { name: 'Issue codes' }).click();
  await expect(h1(op)).toHaveText(/^\d+ letters? (is|are) ready$/);
  return csvRows((await download(op, CSV_BUTTON)).body).map((row) => row.voting_code!);
}

const FORM_TITLE = 'Enter a paper ballot returned by post';

async function enterCode(op: Page, code: string) {
  await op.getByLabel('Voting code on the form').fill(code);
  await op.getByRole('button', { name: 'Find the ballot' }).click();
}

test.describe.configure({ mode: 'serial' });

test('an officer enters a paper ballot returned by post from the voting code on its letter', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = 'pia.paperforms@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const round = await votingRound(staff, await apiSession('pip.paperforms.chair@example.org'), 'Paper forms by post');

  const context = await newPerson(browser);
  const op = await context.newPage();
  await op.goto(`/officer/rounds/${round}/in-person`);
  await signIn(op, admin, `/officer/rounds/${round}/in-person`);
  const letterHref = await verifyInPerson(op, round, 'Pat Post', '1941');
  const [code] = await lettersCsv(op, round);
  expect(code).toMatch(/^\d[\d -]{14,}\d$/);

  // From the round's page, next to the other voting tools.
  await op.goto(`/officer/rounds/${round}`);
  await op.getByRole('link', { name: FORM_TITLE }).click();
  await expect(h1(op)).toHaveText(FORM_TITLE);
  await expect(op).toHaveTitle(new RegExp(`^${FORM_TITLE} – `));
  await expect(op.locator('h1')).toHaveCount(1);
  await expect(op.getByText('The 16 digits printed on the letter')).toBeVisible();
  await checkBothWidths(op);

  // A code of the wrong length, then 16 digits that are not a code of this round.
  await enterCode(op, '1234 5678');
  await expect(op.getByRole('alert')).toContainText('Enter the voting code as it is printed on the letter: 16 digits');
  await expect(op).toHaveTitle(new RegExp(`^Error: ${FORM_TITLE} – `));
  await expect(op.getByLabel('Voting code on the form')).toHaveValue('1234 5678');
  await checkBothWidths(op);
  await enterCode(op, '0000 0000 0000 0000');
  await expect(op.getByRole('alert')).toContainText('This is not a voting code that can vote in this round');
  await expect(op.getByRole('alert')).toContainText('a newer letter replaces the codes on older ones');
  await checkBothWidths(op);

  // The right code: the staff ballot pages, as a paper ballot.
  await enterCode(op, code!);
  await expect(op).toHaveURL(/\/ballots\?verification=\d+&area=\d+&channel=PAPER$/);
  await expect(op.getByText('Paper ballot: Paper forms by post')).toBeVisible();
  await op.getByLabel('Bulb planting').check();
  await op.getByRole('button', { name: 'Continue' }).click();
  await op.getByRole('button', { name: 'Record this ballot' }).click();
  await expect(h1(op)).toHaveText('Ballot recorded');
  await expect(op.locator('h1')).toHaveCount(1);
  await checkBothWidths(op);
  await op.getByRole('link', { name: 'Enter another paper ballot from the post' }).click();
  await expect(h1(op)).toHaveText(FORM_TITLE);

  // A newer letter replaces the code on the old one.
  await op.goto(letterHref);
  await op.getByLabel('Name on the letter').fill('Pat Post');
  await op.getByLabel('Address line 1').fill('3 Kirkstall Road');
  await Promise.all([op.waitForEvent('download'), op.getByRole('button', { name: 'Make the letter (PDF)' }).click()]);
  await op.goto(`/officer/rounds/${round}/paper-forms`);
  await enterCode(op, code!);
  await expect(op.getByRole('alert')).toContainText('only the code on the newest letter works');

  // Once voting has closed, a live code is refused for that reason.
  await verifyInPerson(op, round, 'Sam Stamp', '1943');
  const [late] = await lettersCsv(op, round);
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { id } }', { id: round });
  await op.goto(`/officer/rounds/${round}/paper-forms`);
  await enterCode(op, late!);
  await expect(op.getByRole('alert')).toContainText('Voting in this round has closed, so paper ballot forms can no longer be entered');
  await checkBothWidths(op);
  await op.goto(`/officer/rounds/${round}`);
  await expect(op.getByRole('link', { name: FORM_TITLE })).toHaveCount(0);
  await context.close();
});

test('an officer prints names and addresses on a batch of letters, downloads its files as often as needed, then says they are printed', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = 'nia.letterbatch@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  // A round open for bids is enough: codes are issued from then until voting closes.
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title: 'Letters with addresses',
      pots: [{ areaId: await areaId(staff), amountPence: 100000 }],
      ballot: { kind: 'APPROVAL', maxChoices: 1 },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['IN_PERSON'], postcodeAloneEnough: false, acceptLowAssurance: true },
    },
  });
  const round = createRound.id as string;
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id: round });

  const context = await newPerson(browser);
  const op = await context.newPage();
  await op.goto(`/officer/rounds/${round}/in-person`);
  await signIn(op, admin, `/officer/rounds/${round}/in-person`);

  // The reference to put beside the name and address is on the page that confirms the check.
  await verifyInPerson(op, round, 'Nia Letters', '1952');
  const reference = (await op.locator('.govuk-panel strong').textContent())!.trim();
  expect(reference).toMatch(/^V\d+$/);
  await expect(op.getByText(`Keep the letter reference ${reference} with their name and address`)).toBeVisible();
  await checkBothWidths(op);

  // A file with a line that is not a reference: the line is named, beside the file.
  const letters = `/officer/rounds/${round}/letters`;
  await op.goto(letters);
  await expect(op.getByText('The reference is V and a number, like V12')).toBeVisible();
  await checkBothWidths(op);
  const file = (text: string) => ({ name: 'addresses.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await op.getByLabel('Names and addresses (CSV, optional)').setInputFiles(file('reference,name,address_1\nX12,Nobody Known,1 Nowhere Lane\n'));
  await op.getByRole('button', { name: 'Issue codes' }).click();
  const lineError = /line 2: "X12" is not a letter reference/;
  await expect(op.getByRole('alert')).toContainText(lineError);
  await expect(op.locator('#addresses-error')).toContainText(lineError);
  await expect(op).toHaveTitle(/^Error: Voting-code letters – /);
  await checkBothWidths(op);

  // The file naming the person: their batch's page.
  await op.getByLabel('Names and addresses (CSV, optional)').setInputFiles(file(`reference,name,address_1,address_2,address_3\n${reference},Nia Letters,4 Cardigan Road,Leeds,LS6 1AA\n`));
  await op.getByRole('button', { name: 'Issue codes' }).click();
  await expect(op).toHaveURL(/\/letters\/batches\/[0-9a-f-]{36}$/);
  const batch = new URL(op.url()).pathname;
  await expect(h1(op)).toHaveText('1 letter is ready');
  await checkBothWidths(op);

  // The CSV, then the PDF, then the CSV again: each as often as needed.
  const csv = await download(op, CSV_BUTTON);
  expect(csv.name).toMatch(/^voting-codes-round-\d+-batch-[0-9a-f]{8}\.csv$/);
  expect(csvRows(csv.body)).toEqual([expect.objectContaining({ reference, name: 'Nia Letters', address_1: '4 Cardigan Road', address_2: 'Leeds', address_3: 'LS6 1AA' })]);
  const pdf = await download(op, PDF_BUTTON);
  expect(pdf.name).toMatch(/^voting-code-letters-round-\d+-batch-[0-9a-f]{8}\.pdf$/);
  expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
  const token = await op.locator('input[name="_csrf"]').first().inputValue();
  const sent = await op.request.post(batch, { form: { _csrf: token, format: 'pdf' } });
  expect(sent.headers()['content-type']).toBe('application/pdf');
  expect(sent.headers()['cache-control']).toBe('no-store');
  expect((await download(op, CSV_BUTTON)).body.toString()).toContain('Nia Letters');

  // Printed: after the confirmation page, the letters are no longer kept.
  await op.getByRole('button', { name: 'The letters are printed or with the print supplier' }).click();
  await expect(h1(op)).toHaveText('Are you sure the letter is printed or with the print supplier?');
  await expect(op.getByText('You cannot undo this. The voting codes can then be read only on the letters.')).toBeVisible();
  await checkBothWidths(op);
  await op.getByRole('button', { name: 'Yes, stop keeping the letters' }).click();
  await expect(op).toHaveURL(new RegExp(`${letters}$`));
  await expect(op.locator('.govuk-notification-banner--success')).toContainText('The letters are no longer kept here.');
  await expect(op.getByRole('table', { name: 'Letters ready to print' })).toHaveCount(0);
  const gone = await op.goto(batch);
  expect(gone?.status()).toBe(404);
  await expect(h1(op)).toHaveText('These letters are no longer kept');
  await checkBothWidths(op);
  expect((await op.goto(`${letters}/batches/not-a-batch`))?.status()).toBe(404);
  await context.close();
});

test('a group’s pending invitations say who each is for, in English and Welsh; a Welsh bid form counts in Welsh', async ({ browser }) => {
  test.setTimeout(120_000);
  const chairEmail = 'gil.invites@example.org';
  const chair = await apiSession(chairEmail);
  const { areas } = await chair('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === AREA).id as string;
  const { registerGroup } = await chair('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: 'Invitation hint helpers', description: 'Tidying the park.', contactEmail: 'park@example.org', areaId: area },
  });
  const group = registerGroup.id as string;

  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto(`/groups/${group}?lang=en`);
  await signIn(page, chairEmail, `/groups/${group}`);
  await page.goto(`/groups/${group}?lang=en`);
  await page.getByLabel('Their email address').fill('juno.invitee@example.org');
  await page.getByRole('button', { name: 'Invite a member' }).click();
  await expect(page.getByText('The invitation was sent.')).toBeVisible();
  const invitation = page.locator('li', { hasText: 'Withdraw this invitation' });
  await expect(invitation).toContainText(/Invitation to j\S*@example\.org, sent \d{1,2} \w+ \d{4}, open until \d{1,2} \w+ \d{4}/);
  await expect(invitation).not.toContainText('juno.invitee');
  await expect(invitation.getByRole('button')).toHaveAccessibleName(/^Withdraw this invitation\s*: j\S*@example\.org$/);
  await checkBothWidths(page);
  await page.goto(`/groups/${group}?lang=cy`);
  await expect(page.locator('li', { hasText: 'Tynnu’r gwahoddiad hwn yn ôl' })).toContainText(/Gwahoddiad i j\S*@example\.org, anfonwyd \d{1,2} \S+ \d{4}, ar agor tan/);
  await checkBothWidths(page);

  // The bid form's character counts, once the script has run.
  await page.goto(`/groups/${group}/bids/new?lang=cy`);
  const summary = page.locator('.govuk-character-count', { has: page.locator('#summary') });
  const description = page.locator('.govuk-character-count', { has: page.locator('#description') });
  await expect(summary.locator('.govuk-character-count__status')).toHaveText('Mae gennych 300 nod ar ôl');
  await expect(description.locator('.govuk-character-count__status')).toHaveText('Mae gennych 1000 gair ar ôl');
  await expect(page.locator('#summary-info')).toHaveText('Gallwch roi hyd at 300 nod');
  await expect(page.locator('#description-info')).toHaveText('Gallwch roi hyd at 1000 gair');
  await page.locator('#summary').fill('Plannu bylbiau');
  await expect(summary.locator('.govuk-character-count__status')).toHaveText('Mae gennych 286 nod ar ôl');
  await page.locator('#description').fill('un dau tri');
  await expect(description.locator('.govuk-character-count__status')).toHaveText('Mae gennych 997 gair ar ôl');
  await page.locator('#summary').fill('a'.repeat(302));
  await expect(summary.locator('.govuk-character-count__status')).toHaveText('Mae gennych 2 nod yn ormod');
  await expect(page.locator('main')).not.toContainText(/remaining|too many|You can enter/);
  await page.goto(`/groups/${group}/bids/new?lang=en`);
  await expect(page.locator('.govuk-character-count__status').first()).toHaveText('You have 300 characters remaining');
  await context.close();
});

test('the Welsh account page says what we keep, and the roles, in Welsh', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = 'wyn.account@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const round = await votingRound(staff, await apiSession('wil.account.chair@example.org'), 'Account in Welsh');
  await staff('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
    r: round,
    p: { name: 'Wyn Account', dateOfBirth: '1975-06-06', postcode: 'LS6 2AA', relation: 'LIVE' },
  });

  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/account');
  await signIn(page, admin);
  await page.goto('/account?lang=cy');
  const kept = page.locator('.govuk-summary-list__row', { hasText: 'Beth rydym yn ei gadw' }).first();
  await expect(kept).toContainText('stwnshis ag allwedd o’ch enw gyda’ch dyddiad geni');
  await expect(kept).not.toContainText(/keyed|your name|the area/);
  const roles = page.locator('.govuk-summary-list__row', { hasText: 'Rolau' });
  await expect(roles).toContainText('Preswylydd, Gweinyddwr');
  await expect(roles).not.toContainText(/Resident|Admin/);
  await checkBothWidths(page);
  await page.goto('/account?lang=en');
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'What we keep' }).first()).toContainText('keyed hashes of your name with your date of birth');
  await expect(page.locator('.govuk-summary-list__row', { hasText: 'Roles' })).toContainText('Resident, Admin');
  await context.close();
});
