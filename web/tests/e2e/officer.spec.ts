// Officers set up areas and rounds, review bids, import a register and
// verify a resident in person; the group sees the review; councillors see
// the staff pages; admins see who holds a role, give roles and take them away.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DEMO, apiSession, expectAccessible, newPerson, screenshots, signIn } from './helpers.js';

test('officer: areas, a round, its phases, the register and in-person verification', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer');
  await signIn(page, DEMO.officer, '/officer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff pages');
  await expectAccessible(page);
  await screenshots(page, 'officer-home');

  // An area.
  await page.getByRole('button', { name: 'Set up an area' }).click();
  await page.getByRole('button', { name: 'Save the area' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the area’s name');
  await expectAccessible(page);
  await page.getByLabel('Name', { exact: true }).fill('Little Woodhouse');
  await page.getByLabel('Kind of area').selectOption('neighbourhood');
  await page.getByLabel('Postcodes, sectors or districts it covers').fill('LS3 1');
  await page.getByRole('button', { name: 'Save the area' }).click();
  await expect(page.getByText('The area was saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Little Woodhouse' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Little Woodhouse and Park Lane');
  await page.getByLabel('Postcodes, sectors or districts it covers').fill('LS3 1\nLS3 9');
  await page.getByRole('button', { name: 'Save the area' }).click();
  await expect(page.getByRole('cell', { name: 'LS3 1, LS3 9' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Little Woodhouse and Park Lane' })).toBeVisible();

  // A round.
  await page.getByRole('button', { name: 'Set up a funding round' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up a funding round');
  await expectAccessible(page);
  await screenshots(page, 'officer-round-form');
  await page.getByRole('button', { name: 'Save the round' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a title');
  await page.getByLabel('Title', { exact: true }).fill('Little Woodhouse Small Grants');
  await page.getByLabel('Little Woodhouse and Park Lane (leave empty if not in this round)').fill('8000');
  await page.getByLabel('Put projects in order of preference').check();
  await page.getByLabel('Most bids a voter may choose, or the longest ranking (optional)').fill('3');
  await page.getByLabel('Counting rule').selectOption('irv');
  await page.getByLabel('irv and stv-scottish: how many bids to elect (optional)').fill('1');
  await page.getByRole('button', { name: 'Save the round' }).click();
  await expect(page.getByText('The round was saved.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Little Woodhouse Small Grants');
  await expectAccessible(page);
  await screenshots(page, 'officer-round');

  await page.getByRole('link', { name: 'Change the round’s details and settings' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Little Woodhouse Small Grants 2027');
  await page.getByRole('button', { name: 'Save the round' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Little Woodhouse Small Grants 2027');
  await page.getByRole('button', { name: 'Move to: Bids open' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to open the round for bids?');
  await page.getByRole('button', { name: 'Open the round for bids' }).click();
  await expect(page.getByText('The round moved on.')).toBeVisible();
  await expect(page.getByText('Bids open').first()).toBeVisible();

  // The register.
  await page.getByRole('link', { name: 'Import the register' }).click();
  await expectAccessible(page);
  await page.getByLabel('Register file').setInputFiles({
    name: 'register.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('full_name,date_of_birth,postcode\nRegi Ster,1970-01-02,LS3 1AB\nNo Date,,LS3 1AB\n'),
  });
  await page.getByRole('button', { name: 'Import the register' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Register imported');
  await expect(page.getByText('1 rows accepted, 1 refused')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'officer-register-report');
  await page.getByRole('link', { name: /Back to/ }).click();

  // In person.
  await page.getByRole('link', { name: 'Verify a resident in person' }).click();
  await page.getByRole('button', { name: 'Verify the resident' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the person’s full name');
  await expectAccessible(page);
  await page.getByLabel('Full name').fill('Pat Inperson');
  await page.getByLabel('Day').fill('5');
  await page.getByLabel('Month').fill('6');
  await page.getByLabel('Year').fill('1948');
  await page.getByLabel('Postcode').fill('LS3 1AB');
  await page.getByLabel('Photo ID').check();
  await page.getByRole('button', { name: 'Verify the resident' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Resident verified');
  // They have no email: a letter with a voting code, to vote by phone.
  await page.getByRole('link', { name: 'Post them a voting-code letter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Post a voting-code letter');
  await page.getByRole('button', { name: 'Make the letter (PDF)' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the name to put on the letter');
  await expectAccessible(page);
  await screenshots(page, 'officer-letter');
  await page.getByLabel('Name on the letter').fill('Pat Inperson');
  await page.getByLabel('Address line 1').fill('3 Kirkstall Road');
  await page.getByLabel('Town or city').fill('Leeds');
  await page.getByLabel('Postcode').fill('LS3 1AB');
  const [letter] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Make the letter (PDF)' }).click(),
  ]);
  expect(letter.suggestedFilename()).toMatch(/^voting-code-letter-\d+\.pdf$/);
  const pdf = await readFile((await letter.path()) as string);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // Everyone without an account now has a code: the round's page says so,
  // and where the letter already made can be downloaded again.
  await page.goto(page.url().replace(/\/letters\/\d+$/, '/letters'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Voting-code letters');
  await expect(page.getByRole('table', { name: 'Letters ready to print' })).toContainText('Download or mark as printed');
  await expectAccessible(page);
  await screenshots(page, 'officer-letters');
  await page.getByRole('button', { name: 'Issue codes' }).click();
  await expect(page.getByRole('alert')).toContainText('Everyone waiting for a voting code already has one. Letters already issued can be downloaded again from the batches listed');
  await page.getByRole('link', { name: /Back/ }).first().click();
  await page.getByRole('link', { name: 'Verifications and conflicts' }).click();
  await expect(page.getByText('1 people verified')).toBeVisible();
  await expectAccessible(page);
  await context.close();
});

test('officer reviews a bid; the group sees the outcome and the reason', async ({ browser }) => {
  const officer = await newPerson(browser);
  const page = await officer.newPage();
  await page.goto('/officer/rounds/1/bids');
  await signIn(page, DEMO.officer, '/officer/rounds/1/bids');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Review bids');
  await expectAccessible(page);
  await screenshots(page, 'officer-review');
  const bid = page.locator('section', { has: page.getByRole('heading', { name: 'Rainwater harvesting' }) });
  await bid.getByLabel('Ask for changes').check();
  await bid.getByRole('button', { name: 'Save the review' }).click();
  await expect(page.getByRole('alert')).toContainText('Give the group a reason');
  const again = page.locator('section', { has: page.getByRole('heading', { name: 'Rainwater harvesting' }) });
  await again.getByLabel('Reason for the group').fill('Please add a quote for the tanks.');
  await again.getByRole('button', { name: 'Save the review' }).click();
  await expect(page.getByText('The review was saved.')).toBeVisible();
  await page.getByLabel('Show bids that are').selectOption('CHANGES_REQUESTED');
  await page.getByRole('button', { name: 'Show bids' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Rainwater harvesting' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Community growing beds' })).toHaveCount(0);
  await officer.close();

  const chair = await newPerson(browser);
  const chairPage = await chair.newPage();
  await chairPage.goto('/groups');
  await signIn(chairPage, DEMO.chair, '/groups');
  await chairPage.getByRole('link', { name: 'Chapel Allerton Allotment Society' }).click();
  await expect(chairPage.getByText('Changes asked for')).toBeVisible();
  await expect(chairPage.getByText('Please add a quote for the tanks.')).toBeVisible();
  // The bid's own page keeps the history of reviews, and a change sends it back for review.
  await chairPage.getByRole('link', { name: 'Rainwater harvesting' }).click();
  await expect(chairPage.getByRole('heading', { name: 'The council’s reviews' })).toBeVisible();
  await expectAccessible(chairPage);
  await chairPage.getByRole('link', { name: 'Change the bid' }).click();
  await chairPage.getByLabel('Describe the project').fill('Two 1,000-litre tanks (quote attached to our email), guttering on both sheds.');
  await chairPage.getByRole('button', { name: 'Save' }).click();
  await expect(chairPage.getByText('Your changes were saved.')).toBeVisible();
  await chairPage.getByRole('button', { name: 'Send the bid back to the council' }).click();
  await expect(chairPage.getByText('The bid was sent back to the council to check.')).toBeVisible();
  await expect(chairPage.getByText('Submitted', { exact: true })).toBeVisible();
  await chair.close();
});

test('councillor: sees the staff pages and the rounds', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/officer');
  await signIn(page, DEMO.councillor, '/officer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff pages');
  await page.getByRole('link', { name: 'Neighbourhood Fund 2027' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhood Fund 2027');
  await expectAccessible(page);
  await context.close();
});

// The demo admin's sign-in codes are nearly all used by other journeys: this
// one signs in once, and the person given a role is a new address of its own.
test('admin: sees who holds a role, gives one to a new address, is warned, and takes it away', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  const heading = page.getByRole('heading', { level: 1 });
  const table = page.getByRole('table', { name: 'People with a role' });
  await page.goto('/officer');
  await signIn(page, DEMO.admin, '/officer');
  await page.getByRole('link', { name: 'See who has a role, give a role or take one away' }).click();
  await expect(heading).toHaveText('Roles');
  const me = table.getByRole('row', { name: /\(you\)/ });
  await expect(me.getByRole('cell').first()).toContainText('Admin');
  await expect(me.getByRole('cell').last()).toHaveText('Yes');
  await expect(table).toContainText('Councillor');
  await expectAccessible(page);
  await screenshots(page, 'roles');

  await page.getByRole('button', { name: 'Give the role' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter their email address');
  await expectAccessible(page);

  // Nobody has signed in with this address: the admin is asked to check it.
  const email = 'olu.officer@example.org';
  await page.getByLabel('Their email address').fill(email);
  await page.getByLabel('Officer', { exact: true }).check();
  await page.getByRole('button', { name: 'Give the role' }).click();
  await expect(page.getByText('Role given')).toBeVisible();
  await expect(page.locator('.govuk-warning-text')).toContainText(`Nobody has signed in with ${email} yet. They will have the officer role when they first sign in with it. Check the address is right.`);
  await expect(table).toContainText('Not yet');
  await expectAccessible(page);
  await screenshots(page, 'role-given');

  // They sign in and give their name; the table shows it.
  const olu = await apiSession(email);
  await olu('mutation { setDisplayName(name: "Olu Officer") { id } }');
  await page.goto('/officer/roles');
  const row = table.getByRole('row', { name: /Olu Officer/ });
  await expect(row.getByRole('cell').first()).toContainText('Officer');
  await expect(row.getByRole('cell').last()).toHaveText('Yes');

  // Taking the role away: a confirmation page first, which can be left.
  await row.getByRole('link', { name: 'Remove the officer role from Olu Officer' }).click();
  await expect(heading).toHaveText('Are you sure you want to remove the officer role from Olu Officer?');
  await expectAccessible(page);
  await screenshots(page, 'role-remove');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: 'Remove the officer role from Olu Officer' }).click();
  await page.getByRole('button', { name: 'Remove role' }).click();
  await expect(heading).toHaveText('Roles');
  await expect(page.getByText('The role was removed.')).toBeVisible();
  await expect(table.getByRole('row', { name: /Olu Officer/ })).toHaveCount(0);
  await expectAccessible(page);

  // An admin cannot take their own admin role away: the page gives the API's reason.
  await me.getByRole('link', { name: /^Remove the admin role from/ }).click();
  await expect(heading).toHaveText('Are you sure you want to remove the admin role from this person?');
  await page.getByRole('button', { name: 'Remove role' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.getByRole('alert')).toContainText('you cannot remove your own admin role');
  await expectAccessible(page);
  await page.goto('/officer/roles');
  await expect(me.getByRole('cell').first()).toContainText('Admin');
  await context.close();
});
