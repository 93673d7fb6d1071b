// A community group: register, invite a member who accepts, remove them, write a bid (with errors and
// check answers), change it and withdraw it; save a bid as a draft and come back to it.
import { expect, test } from '@playwright/test';
import { DEMO, emailsTo, expectAccessible, folderCount, newPerson, screenshots, signIn } from './helpers.js';

test('community group: register, invite and remove a member, write, change and withdraw a bid', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/groups');
  await signIn(page, DEMO.chair, '/groups');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your community groups');
  await expect(page.getByRole('link', { name: 'Woodhouse Moor Friends' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'groups');

  await page.getByRole('button', { name: 'Register a group' }).click();
  await page.getByRole('button', { name: 'Register a group' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the group’s name');
  await expectAccessible(page);
  await page.getByLabel('Group name').fill('Meanwood Road Litter Pickers');
  await page.getByLabel('What does the group do?').fill('Monthly litter picks along Meanwood Road and the beck.');
  await page.getByLabel('Contact email address').fill('litter@example.org');
  await page.getByLabel('Hyde Park and Woodhouse').check();
  await page.getByRole('button', { name: 'Register a group' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meanwood Road Litter Pickers');
  await expect(page.getByText('Your group is registered')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'group');

  // Members join by invitation, which the invitee accepts.
  const groupUrl = page.url();
  const before = folderCount('mail');
  await page.getByLabel('Their email address').fill('second.member@example.org');
  await page.getByRole('button', { name: 'Invite a member' }).click();
  await expect(page.getByText('The invitation was sent.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Invitations waiting for an answer' })).toBeVisible();
  expect(emailsTo('second.member@example.org', before).length).toBe(1);

  const invitee = await newPerson(browser);
  const inviteePage = await invitee.newPage();
  await inviteePage.goto('/groups');
  await signIn(inviteePage, 'second.member@example.org', '/groups');
  await expect(inviteePage.getByRole('heading', { name: 'Invitations to join a group' })).toBeVisible();
  await expectAccessible(inviteePage);
  await inviteePage.getByRole('button', { name: 'Join the group' }).click();
  await expect(inviteePage.getByText('You joined the group.')).toBeVisible();
  await expect(inviteePage.getByRole('heading', { level: 1 })).toHaveText('Meanwood Road Litter Pickers');
  await invitee.close();

  await page.goto(groupUrl);
  await expect(page.locator('.app-member')).toHaveCount(2);
  await page.getByRole('button', { name: /Remove from the group/ }).click();
  await expect(page.getByText('The member was removed.')).toBeVisible();
  await expect(page.locator('.app-member')).toHaveCount(1);

  // The bid form: errors first, values kept.
  await page.getByRole('button', { name: 'Write a bid' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Write a bid');
  await page.getByLabel('Project name', { exact: true }).fill('Litter pickers and bags');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: Write a bid/);
  await expect(page.getByRole('alert')).toContainText('Enter a summary');
  await expect(page.getByLabel('Project name', { exact: true })).toHaveValue('Litter pickers and bags');
  await expectAccessible(page);
  await screenshots(page, 'bid-form-errors');
  await page.getByLabel('Summary', { exact: true }).fill('Forty litter pickers, hoops and bags for monthly clean-ups.');
  await page.getByLabel('Describe the project').fill('We will buy the kit, store it at the community centre and lend it out.');
  await page.getByLabel('How much will it cost?').fill('30000');
  await page.getByLabel('Category').selectOption('environment');
  await page.getByRole('button', { name: 'Continue' }).click();
  // More than the area's pot.
  await expect(page.getByRole('alert')).toContainText('more than the money for this area');
  await page.getByLabel('How much will it cost?').fill('640');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your bid before you send it');
  await expect(page.getByText('£640')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'bid-check');
  await page.getByRole('button', { name: 'Change' }).click();
  await expect(page.getByLabel('Summary', { exact: true })).toHaveValue('Forty litter pickers, hoops and bags for monthly clean-ups.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send the bid' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bid sent');
  await expectAccessible(page);
  await screenshots(page, 'bid-sent');

  await page.getByRole('link', { name: 'View your bid' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Litter pickers and bags');
  await page.getByRole('link', { name: 'Change the bid' }).click();
  await page.getByLabel('Project name', { exact: true }).fill('Litter pickers, hoops and bags');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your changes were saved.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Litter pickers, hoops and bags');

  await page.getByRole('link', { name: 'Withdraw the bid' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to withdraw this bid?');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Withdraw the bid' }).click();
  await expect(page.getByText('The bid was withdrawn.')).toBeVisible();
  await expect(page.getByText('Withdrawn', { exact: true })).toBeVisible();
  await context.close();
});

// Save and return: a group saves an unfinished bid, leaves, comes back to it
// from "Your drafts", finishes it and sends it; another draft is deleted.
test('community group: save a bid as a draft, come back, finish and send it, delete a draft', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto('/groups');
  await signIn(page, 'drafts.chair@example.org', '/groups');
  await page.getByRole('button', { name: 'Register a group' }).click();
  await page.getByLabel('Group name').fill('Little London Gardeners');
  await page.getByLabel('What does the group do?').fill('Growing vegetables with neighbours on the estate.');
  await page.getByLabel('Contact email address').fill('gardeners@example.org');
  await page.getByLabel('Hyde Park and Woodhouse').check();
  await page.getByRole('button', { name: 'Register a group' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Little London Gardeners');
  const groupUrl = page.url();

  // A draft needs only a name; without one the error says so.
  await page.getByRole('button', { name: 'Write a bid' }).click();
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page).toHaveTitle(/^Error: Write a bid/);
  await expect(page.getByRole('alert')).toContainText('Enter the project name to save a draft');
  await expectAccessible(page);
  await page.getByLabel('Project name', { exact: true }).fill('Raised beds for Little London');
  await page.getByLabel('How much will it cost?').fill('1200');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page.getByText('Your draft was saved.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your drafts' })).toBeVisible();
  await expect(page.getByText('The group has not written any bids yet.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'group-drafts');

  // Leave, then come back to it.
  await page.goto('/');
  await page.goto(groupUrl);
  await page.getByRole('link', { name: 'Continue Raised beds for Little London' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Continue your bid');
  await expect(page.getByLabel('Project name', { exact: true })).toHaveValue('Raised beds for Little London');
  await expect(page.getByLabel('How much will it cost?')).toHaveValue('1200');
  await expectAccessible(page);
  await screenshots(page, 'bid-draft');

  // Continuing checks everything a bid needs.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: Continue your bid/);
  await expect(page.getByRole('alert')).toContainText('Enter a summary');
  await expect(page.getByLabel('Project name', { exact: true })).toHaveValue('Raised beds for Little London');
  await expectAccessible(page);
  await page.getByLabel('Summary', { exact: true }).fill('Six raised beds by the community room, for anyone to grow food in.');
  await page.getByLabel('Describe the project').fill('We will build six raised beds from recycled timber and run weekly growing sessions.');
  await page.getByLabel('Category').selectOption('environment');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your bid before you send it');
  await expect(page.getByText('£1,200')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Send the bid' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bid sent');

  // Sent, it is a bid and no longer a draft.
  await page.goto(groupUrl);
  await expect(page.getByRole('heading', { name: 'Your drafts' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Raised beds for Little London' })).toBeVisible();

  // A draft can be deleted, after a confirmation.
  await page.getByRole('button', { name: 'Write a bid' }).click();
  await page.getByLabel('Project name', { exact: true }).fill('Compost bins');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page.getByText('Your draft was saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Delete Compost bins' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Are you sure you want to delete this draft?');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Delete the draft' }).click();
  await expect(page.getByText('The draft was deleted.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your drafts' })).toHaveCount(0);

  // Withdrawn again, so that the demo's lists stay as the other tests read them.
  await page.getByRole('link', { name: 'Raised beds for Little London' }).click();
  await page.getByRole('link', { name: 'Withdraw the bid' }).click();
  await page.getByRole('button', { name: 'Withdraw the bid' }).click();
  await expect(page.getByText('The bid was withdrawn.')).toBeVisible();
  await context.close();
});
