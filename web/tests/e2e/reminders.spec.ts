// Reminders about a round: a resident who can vote asks for them in Welsh
// (a landline refused in Welsh, the question and the number each checked
// with axe at both widths), sees them on the account page and stops
// them there; the link in a real reminder email stops them without signing
// in, and a link cut short says how to get help; an officer sets them up
// for someone verified in person.
import { expect, test, type Page } from '@playwright/test';
import { apiSession, checkBothWidths, emailsTo, expectAccessible, folderCount, makeAdmin, newPerson, roundId, signIn } from './helpers.js';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('a resident asks for reminders by email in Welsh, sees them on the account page and stops them there', async ({ browser }) => {
  const id = await roundId('Summer Streets 2026');
  const context = await newPerson(browser);
  const page = await context.newPage();
  await signIn(page, 'neighbour@demo.fairshare.localhost', `/rounds/${id}/verify`);

  // The verification's last page offers them, in the page's language. (The
  // account keeps Welsh, as the Welsh ballot journey in voting.spec.ts
  // expects of this resident.)
  await page.goto(`/rounds/${id}/verify?lang=cy`);
  await expect(h1(page)).toHaveText('Gallwch bleidleisio yn y cylch hwn');
  await expect(page.getByRole('heading', { level: 2, name: 'Ydych chi eisiau nodiadau atgoffa?' })).toBeVisible();
  await page.getByRole('button', { name: 'Cael nodiadau atgoffa' }).click();

  // What they will get, and what happens to the address; then, on a page of its own, where: a landline is refused in Welsh.
  await expect(h1(page)).toHaveText('Nodiadau atgoffa am bleidleisio');
  await expect(page.getByRole('group', { name: 'Ydych chi eisiau nodiadau atgoffa?' })).toBeVisible();
  await expect(page.getByText('2 ddiwrnod cyn i bleidleisio gau, os nad ydych wedi pleidleisio erbyn hynny')).toBeVisible();
  await expect(page.getByText('pan fydd pleidleisio’n agor')).toHaveCount(0);
  await checkBothWidths(page);
  await page.getByLabel('Ydw, drwy neges destun').check();
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(h1(page)).toHaveText('I ba rif ffôn symudol y dylem anfon neges destun?');
  await page.getByLabel('I ba rif ffôn symudol y dylem anfon neges destun?').fill('0113 496 0000');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page).toHaveTitle(/^Gwall: I ba rif ffôn symudol/);
  await expect(page.getByRole('alert')).toContainText('Rhowch rif ffôn symudol yn y DU, fel 07700 900123');
  await expect(page.getByRole('alert').getByRole('link')).toHaveAttribute('href', '#contact');
  await expect(page.getByLabel('I ba rif ffôn symudol y dylem anfon neges destun?')).toHaveValue('0113 496 0000');
  await checkBothWidths(page);

  // By email after all.
  await page.getByRole('link', { name: 'Yn ôl', exact: true }).click();
  await page.getByLabel('Ydw, drwy e-bost').check();
  await page.getByRole('button', { name: 'Parhau' }).click();
  await page.getByLabel('I ba gyfeiriad e-bost y dylem eu hanfon?').fill('nia.neighbour@example.org');
  await page.getByRole('button', { name: 'Parhau' }).click();
  await expect(page.locator('.govuk-panel')).toContainText('Byddwch yn cael nodiadau atgoffa');
  await expect(page.locator('.govuk-panel')).toContainText('Byddwn yn anfon e-bost i n•••@example.org');

  // The account page lists them, and stops them with one button.
  await page.getByRole('link', { name: 'Eich cyfrif' }).first().click();
  await expect(h1(page)).toHaveText('Eich cyfrif');
  await expect(page.getByText('Drwy e-bost i n•••@example.org')).toBeVisible();
  await checkBothWidths(page);
  await page.getByRole('button', { name: 'Atal nodiadau atgoffa ar gyfer Summer Streets 2026' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Mae eich nodiadau atgoffa ar gyfer y cylch hwn wedi dod i ben.');
  await expect(page.getByText('Nid ydych wedi gofyn am nodiadau atgoffa.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Cael nodiadau atgoffa ar gyfer Summer Streets 2026' })).toHaveAttribute('href', `/rounds/${id}/reminders`);
  await context.close();
});

test('the link in a reminder email stops them without signing in; a link cut short says how to get help', async ({ browser }) => {
  test.setTimeout(150_000);
  // A round whose voting closes within two days: asking now brings the "closing" reminder at the API's next tick.
  const admin = 'rhodri.reminders@example.org';
  makeAdmin(admin);
  const staff = await apiSession(admin);
  const { areas } = await staff('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id as string;
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title: 'Reminders: closing soon',
      pots: [{ areaId: area, amountPence: 100000 }],
      ballot: { kind: 'APPROVAL', maxChoices: 2 },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: true },
      schedule: { votingClosesAt: new Date(Date.now() + 86_400_000).toISOString() },
    },
  });
  const round = createRound.id as string;
  for (const to of ['BIDS_OPEN', 'BID_REVIEW', 'VOTING']) await staff(`mutation($id: ID!) { advanceRound(id: $id, to: ${to}) { id } }`, { id: round });
  const email = 'gwen.link@example.org';
  const resident = await apiSession(email);
  await resident('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
    r: round,
    p: { name: 'Gwen Link', dateOfBirth: '1966-09-09', postcode: 'LS6 1AB', relation: 'LIVE' },
  });
  const before = folderCount('mail');
  await resident('mutation($i: SetRemindersInput!) { setReminders(input: $i) { contactHint } }', { i: { roundId: round, channel: 'EMAIL', contact: email, language: 'EN' } });
  let link: string | undefined;
  await expect
    .poll(
      () => {
        link = emailsTo(email, before).map((m) => /\/reminders\/stop\?s=\d+&t=[0-9A-Za-z_-]+/.exec(m.body)?.[0]).find(Boolean);
        return link;
      },
      { message: 'a reminder email with its link to stop them', timeout: 60_000, intervals: [1_000] },
    )
    .toBeTruthy();

  // Opening the link stops nothing (mail scanners open links); its button does, signed out.
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto(link as string);
  await expect(h1(page)).toHaveText('Stop reminders');
  expect((await resident('{ myReminders { roundId } }')).myReminders).toHaveLength(1);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Stop reminders' }).click();
  await expect(page.locator('.govuk-panel')).toContainText('You will get no more reminders');
  await expectAccessible(page);
  expect((await resident('{ myReminders { roundId } }')).myReminders).toHaveLength(0);

  // A link cut short: not found, with what to do and the help line.
  const cut = await page.goto('/reminders/stop?s=1&t=bad');
  expect(cut?.status()).toBe(404);
  await expect(h1(page)).toHaveText('This link to stop reminders is not complete');
  await expect(page.getByText(/Copy the whole link from the email .* call the help line on \d/)).toBeVisible();
  await checkBothWidths(page);
  await context.close();
});

test('an officer sets up reminders by text in Welsh for a resident verified in person', async ({ browser }) => {
  const id = await roundId('Summer Streets 2026');
  const officer = 'osian.reminders@example.org';
  makeAdmin(officer);
  const context = await newPerson(browser);
  const op = await context.newPage();
  await op.goto(`/officer/rounds/${id}/in-person`);
  await signIn(op, officer, `/officer/rounds/${id}/in-person`);
  await expect(h1(op)).toHaveText('Verify a resident in person');
  await op.getByLabel('Full name').fill('Rhys Reminders');
  await op.getByLabel('Day').fill('3');
  await op.getByLabel('Month').fill('4');
  await op.getByLabel('Year').fill('1957');
  await op.getByLabel('Postcode').fill('LS6 1AA');
  await op.getByLabel('Known to me').check();
  await op.getByRole('button', { name: 'Verify the resident' }).click();
  await expect(h1(op)).toHaveText('Resident verified');
  const reference = /V(\d+)/.exec((await op.locator('.govuk-panel').textContent()) ?? '')?.[1];

  await expect(op.getByRole('heading', { level: 2, name: 'Reminders for this resident' })).toBeVisible();
  await expectAccessible(op);
  await op.getByLabel('By text message').check();
  await op.getByLabel('Their email address or UK mobile number').fill('07700 900456');
  await op.getByLabel('Welsh').check();
  await op.getByRole('button', { name: 'Set up reminders' }).click();
  await expect(h1(op)).toHaveText(`Reminders for V${reference}`);
  await expect(op.locator('.govuk-notification-banner')).toContainText(`Reminders set up for V${reference}: by text message to •••• ••• 456, in Welsh.`);
  await expectAccessible(op);
  await context.close();
});
