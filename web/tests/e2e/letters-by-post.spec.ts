// Letters by post, where the council sends them (the demo writes them to
// its letters folder): a resident asks for reminders by post in Welsh (the
// address checked in the form, then a postcode the API refuses, each page
// checked with axe at both widths) and sees them on the account page, the
// reminder letter then in the letters folder and on the development
// messages page; an officer sets them up by post for someone verified in
// person; and an officer posts a batch of voting-code letters through
// GOV.UK Notify: refused in the API's words while a letter has no address,
// then, issued with a names-and-addresses file, one PDF a letter in the
// folder and the batch no longer kept.
import { expect, test, type Page } from '@playwright/test';
import { apiSession, checkBothWidths, letterFiles, makeAdmin, newPerson, readLetter, screenshots, signIn } from './helpers.js';

type Api = Awaited<ReturnType<typeof apiSession>>;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** A round in Hyde Park and Woodhouse, moved on to `phase`, closing in three days (so that a letter's "closing" reminder is due). */
async function round(staff: Api, title: string, phase: 'BIDS_OPEN' | 'VOTING'): Promise<string> {
  const { areas } = await staff('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id as string;
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title,
      pots: [{ areaId: area, amountPence: 100000 }],
      ballot: { kind: 'APPROVAL', maxChoices: 1 },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE', 'IN_PERSON'], postcodeAloneEnough: true, acceptLowAssurance: true },
      schedule: { votingClosesAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
    },
  });
  const id = createRound.id as string;
  const moves = phase === 'VOTING' ? ['BIDS_OPEN', 'BID_REVIEW', 'VOTING'] : ['BIDS_OPEN'];
  for (const to of moves) await staff(`mutation($id: ID!) { advanceRound(id: $id, to: ${to}) { id } }`, { id });
  return id;
}

/** The letters folder's PDFs that were not in `before`. */
const newPdfs = (before: string[]) => letterFiles().filter((n) => n.endsWith('.pdf') && !before.includes(n));

test.describe.configure({ mode: 'serial' });

test('a resident asks for reminders by post in Welsh and sees them on the account page', async ({ browser }) => {
  test.setTimeout(150_000);
  const admin = 'bethan.postrounds@example.org';
  makeAdmin(admin);
  const id = await round(await apiSession(admin), 'Reminders by post', 'VOTING');
  const email = 'eira.post@example.org';
  const resident = await apiSession(email);
  await resident('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
    r: id,
    p: { name: 'Eira Post', dateOfBirth: '1948-02-02', postcode: 'LS6 1AB', relation: 'LIVE' },
  });

  const context = await newPerson(browser);
  const page = await context.newPage();
  await signIn(page, email, `/rounds/${id}/reminders`);
  await page.goto(`/rounds/${id}/reminders?lang=cy`);
  await expect(h1(page)).toHaveText('Nodiadau atgoffa am bleidleisio');
  await expect(page.getByText('Dim ond i anfon y nodiadau atgoffa hyn y byddwn yn defnyddio eich cyfeiriad e-bost, eich rhif ffôn symudol neu eich cyfeiriad post.')).toBeVisible();
  await expect(page.getByText('Mae llythyrau’n cymryd ychydig ddyddiau i gyrraedd')).toBeVisible();
  await checkBothWidths(page);
  await page.getByLabel('Ydw, drwy’r post').check();
  await page.getByRole('button', { name: 'Parhau' }).click();

  // The address, GOV.UK's pattern: one page, the name first, each field with its autocomplete.
  await expect(page).toHaveURL(new RegExp(`/rounds/${id}/reminders/post$`));
  await expect(h1(page)).toHaveText('I ba enw a chyfeiriad y dylem eu hanfon drwy’r post?');
  await expect(page.getByRole('group', { name: 'I ba enw a chyfeiriad y dylem eu hanfon drwy’r post?' })).toBeVisible();
  await screenshots(page, 'reminders-address-cy');
  const fields: [label: string, autocomplete: string][] = [
    ['Enw llawn', 'name'],
    ['Llinell 1 y cyfeiriad', 'address-line1'],
    ['Llinell 2 y cyfeiriad (dewisol)', 'address-line2'],
    ['Tref neu ddinas', 'address-level2'],
    ['Cod post', 'postal-code'],
  ];
  for (const [label, autocomplete] of fields) {
    await expect(page.getByLabel(label, { exact: true })).toHaveAttribute('autocomplete', autocomplete);
  }
  await checkBothWidths(page);

  // What is missing, in Welsh, before anything reaches the API.
  await page.getByLabel('Enw llawn').fill('Eira Post');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page).toHaveTitle(/^Gwall: I ba enw a chyfeiriad/);
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Rhowch linell 1 y cyfeiriad, sef yr adeilad a’r stryd fel arfer');
  await expect(summary).toContainText('Rhowch eich tref neu ddinas');
  await expect(summary).toContainText('Rhowch eich cod post');
  await expect(summary.getByRole('link').first()).toHaveAttribute('href', '#line1');
  await expect(page.getByLabel('Enw llawn')).toHaveValue('Eira Post');
  await checkBothWidths(page);

  // A last line that is not a postcode: the API's refusal, in Welsh, beside the postcode.
  await page.getByLabel('Llinell 1 y cyfeiriad', { exact: true }).fill('7 Stryd Woodhouse');
  await page.getByLabel('Tref neu ddinas').fill('Leeds');
  await page.getByLabel('Cod post').fill('Hyde Park');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.locator('#postcode-error')).toContainText('Rhowch god post go iawn, fel LS6 1AB');
  await expect(page.getByRole('alert').getByRole('link')).toHaveAttribute('href', '#postcode');
  await expect(page.getByLabel('Tref neu ddinas')).toHaveValue('Leeds');
  await checkBothWidths(page);

  await page.getByLabel('Cod post').fill('ls6 1ab');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.locator('.govuk-panel')).toContainText('Byddwch yn cael nodiadau atgoffa');
  await expect(page.locator('.govuk-panel')).toContainText(/Byddwn yn eu hanfon drwy’r post i’r cyfeiriad â’r cod post LS6\s1\S+/);
  await expect(page.locator('.govuk-panel')).not.toContainText('(post)');
  await expect(page.getByText('defnyddiwch y ddolen mewn unrhyw e-bost neu lythyr atgoffa')).toBeVisible();
  await checkBothWidths(page);
  expect((await resident('{ myReminders { roundId channel } }')).myReminders).toEqual([{ roundId: id, channel: 'LETTER' }]);

  // The account page says how they go.
  await page.getByRole('link', { name: 'Eich cyfrif' }).first().click();
  await expect(h1(page)).toHaveText('Eich cyfrif');
  await expect(page.locator('#reminders ~ .app-card', { hasText: 'Reminders by post' })).toContainText(/Drwy’r post i’r cyfeiriad â’r cod post LS6\s1\S+/);
  await checkBothWidths(page);

  // Voting closes within a week: the "closing" letter goes at the API's next tick, to the letters folder.
  let letter: string | undefined;
  await expect
    .poll(
      () => {
        letter = letterFiles()
          .filter((n) => n.endsWith('.txt'))
          .find((n) => readLetter(n).toString('utf8').startsWith('Eira Post\n'));
        return letter;
      },
      { message: 'a reminder letter to Eira Post', timeout: 60_000, intervals: [1_000] },
    )
    .toBeTruthy();
  expect(readLetter(letter!).toString('utf8')).toMatch(/^Eira Post\n7 Stryd Woodhouse\nLeeds\nLS6 1AB\n\n/);
  await page.goto('/dev/messages?lang=en');
  await expect(page.getByRole('heading', { level: 2, name: 'Letter to Eira Post, 7 Stryd Woodhouse, Leeds, LS6 1AB' })).toBeVisible();
  await context.close();
});

test('an officer sets up reminders by post for a resident verified in person', async ({ browser }) => {
  test.setTimeout(120_000);
  const officer = 'owain.postreminders@example.org';
  makeAdmin(officer);
  const id = await round(await apiSession(officer), 'Reminders by post, in person', 'VOTING');
  const context = await newPerson(browser);
  const op = await context.newPage();
  await op.goto(`/officer/rounds/${id}/in-person`);
  await signIn(op, officer, `/officer/rounds/${id}/in-person`);
  await op.getByLabel('Full name').fill('Dilys Post');
  await op.getByLabel('Day').fill('5');
  await op.getByLabel('Month').fill('6');
  await op.getByLabel('Year').fill('1939');
  await op.getByLabel('Postcode').fill('LS6 1AA');
  await op.getByLabel('Known to me').check();
  await op.getByRole('button', { name: 'Verify the resident' }).click();
  await expect(h1(op)).toHaveText('Resident verified');
  const reference = /V(\d+)/.exec((await op.locator('.govuk-panel').textContent()) ?? '')?.[1];

  // "By post", with their name and address in fields of their own.
  const reminders = op.locator('form', { has: op.getByRole('button', { name: 'Set up reminders' }) });
  await expect(reminders.getByRole('group', { name: 'Their name and address, for reminders by post' })).toBeVisible();
  await checkBothWidths(op);
  await reminders.getByLabel('By post').check();
  await reminders.getByLabel('Full name').fill('Dilys Post');
  await reminders.getByLabel('Address line 1').fill('9 Cardigan Road');
  await reminders.getByLabel('Town or city').fill('Leeds');
  await reminders.getByLabel('Welsh').check();
  await reminders.getByRole('button', { name: 'Set up reminders' }).click();

  // The postcode is missing, then not a postcode: the API's words beside it.
  await expect(h1(op)).toHaveText(`Reminders for V${reference}`);
  await expect(op.getByRole('alert')).toContainText('Enter their postcode');
  await expect(op.getByLabel('Address line 1')).toHaveValue('9 Cardigan Road');
  await expect(op.getByLabel('By post')).toBeChecked();
  await screenshots(op, 'staff-reminders-by-post-error');
  await checkBothWidths(op);
  await op.getByLabel('Postcode').fill('Headingley');
  await op.getByRole('button', { name: 'Set up reminders' }).click();
  await expect(op.locator('#postcode-error')).toContainText('is not a UK postcode');
  await expect(op.getByRole('alert').getByRole('link')).toHaveAttribute('href', '#postcode');
  await checkBothWidths(op);

  await op.getByLabel('Postcode').fill('LS6 1AA');
  await op.getByRole('button', { name: 'Set up reminders' }).click();
  await expect(op.locator('.govuk-notification-banner')).toContainText(new RegExp(`Reminders set up for V${reference}: by post to the address with the postcode LS6\\s1\\S+, in Welsh\\.`));
  await expect(op.locator('.govuk-notification-banner')).not.toContainText('(post)');
  await checkBothWidths(op);
  await context.close();
});

test('an officer posts a batch of voting-code letters through GOV.UK Notify, once every letter has an address', async ({ browser }) => {
  test.setTimeout(150_000);
  const admin = 'powel.postbatch@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const id = await round(staff, 'Voting codes by post', 'BIDS_OPEN');
  const references: string[] = [];
  for (const [name, dateOfBirth] of [['Ifan Post', '1944-01-01'], ['Megan Post', '1946-03-03']]) {
    const { recordInPersonVerification } = await staff('mutation($r: ID!, $i: InPersonVerificationInput!) { recordInPersonVerification(roundId: $r, input: $i) { id } }', {
      r: id,
      i: { person: { name, dateOfBirth, postcode: 'LS6 1AA', relation: 'LIVE' }, evidence: 'KNOWN_TO_OFFICER' },
    });
    references.push(`V${recordInPersonVerification.id}`);
  }

  const context = await newPerson(browser);
  const op = await context.newPage();
  const letters = `/officer/rounds/${id}/letters`;
  await op.goto(letters);
  await signIn(op, admin, letters);

  // Letters to everyone waiting have no address: posting them is refused, in the API's words.
  await op.goto(letters);
  await op.getByRole('button', { name: 'Issue codes' }).click();
  await expect(h1(op)).toHaveText('2 letters are ready');
  await expect(op.getByRole('heading', { level: 2, name: 'Post them through GOV.UK Notify' })).toBeVisible();
  await op.getByRole('button', { name: 'Post the letters through GOV.UK Notify' }).click();
  await expect(h1(op)).toHaveText('Are you sure you want to post the 2 letters through GOV.UK Notify?');
  const before = letterFiles();
  await op.getByRole('button', { name: 'Yes, post the letters' }).click();
  await expect(op).toHaveTitle(/^Error: Are you sure you want to post the 2 letters/);
  await expect(op.getByRole('alert')).toContainText("2 of this batch's 2 letters have no name and address: issue them with a names-and-addresses file to post them, or print them");
  await expect(op.getByRole('alert').getByRole('link')).toHaveAttribute('href', '#post');
  await checkBothWidths(op);
  expect(newPdfs(before)).toEqual([]);

  // Issued with a names-and-addresses file: posted, one PDF a letter, and the batch no longer kept.
  await op.goto(letters);
  const csv = `reference,name,address_1,address_2,address_3\n${references[0]},Ifan Post,1 Cardigan Road,Leeds,LS6 1AA\n${references[1]},Megan Post,2 Cardigan Road,Leeds,LS6 1AA\n`;
  await op.getByLabel('Names and addresses (CSV, optional)').setInputFiles({ name: 'addresses.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await op.getByRole('button', { name: 'Issue codes' }).click();
  await expect(h1(op)).toHaveText('2 letters are ready');
  const batch = new URL(op.url()).pathname;
  await checkBothWidths(op);
  await op.getByRole('button', { name: 'Post the letters through GOV.UK Notify' }).click();
  await expect(h1(op)).toHaveText('Are you sure you want to post the 2 letters through GOV.UK Notify?');
  await expect(op.getByText('You cannot undo this. The voting codes can then be read only on the letters.')).toBeVisible();
  await checkBothWidths(op);
  await screenshots(op, 'letters-post-confirm');
  await op.getByRole('button', { name: 'Yes, post the letters' }).click();
  await expect(op.locator('.govuk-panel')).toContainText('2 letters were posted');
  await expect(op).toHaveTitle(/^2 letters were posted – /);
  await checkBothWidths(op);
  await screenshots(op, 'letters-posted');
  const posted = newPdfs(before);
  expect(posted).toHaveLength(2);
  for (const name of posted) expect(readLetter(name).subarray(0, 5).toString()).toBe('%PDF-');

  const gone = await op.goto(batch);
  expect(gone?.status()).toBe(404);
  await expect(h1(op)).toHaveText('These letters are no longer kept');
  await context.close();
});
