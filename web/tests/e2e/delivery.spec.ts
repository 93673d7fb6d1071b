// What happened to the money: a round published through the API, then its
// group posts an update with a photo through the form (a file that is not
// an image refused, and a photo over 5 MB, the text kept each time), an
// officer approves it and records a status, the money spent and the
// milestones, and anyone sees the update and its photo on the delivery
// page and the bid's page, in English and Welsh, and in the Atom feed. A
// councillor sees the staff pages without their forms. The public page and
// the update form work without JavaScript.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { WEB_ROOT, WEB_URL } from './env.js';
import { apiSession, checkBothWidths, makeAdmin, newPerson, roundId, screenshots, signIn } from './helpers.js';

test.describe.configure({ mode: 'serial' });

const stamp = Date.now();
/** A small JPEG of planter boxes, drawn for these tests. */
const JPEG = readFileSync(path.join(WEB_ROOT, 'tests/fixtures/planter-boxes.jpg'));
const PLANTERS = 'Planter boxes on the high street';
const LITTER = 'Litter pickers for the park';
const UPDATE = 'The planter boxes are built and the first bulbs are in. More planting next month.';
const ALT = 'Six wooden planter boxes on the pavement, with flowers in them';

interface Published {
  id: string;
  title: string;
  bids: Record<string, string>;
  chair: string;
  admin: string;
}

let round: Published;

/**
 * A round published through the API with two funded bids of one new group
 * in Hyde Park and Woodhouse: an administrator, also made a councillor to
 * publish it, sets it up; one resident votes for both.
 */
async function publishedRound(): Promise<Published> {
  const admin = `ada.delivery.${stamp}@example.org`;
  const chairEmail = `chair.delivery.${stamp}@example.org`;
  makeAdmin(admin);
  const staff = await apiSession(admin);
  await staff('mutation($e: String!) { grantRole(email: $e, role: COUNCILLOR) { id } }', { e: admin });
  const chair = await apiSession(chairEmail);
  const { areas } = await staff('{ areas(first: 20) { nodes { id name } } }');
  const area = areas.nodes.find((a: { name: string }) => a.name === 'Hyde Park and Woodhouse').id as string;
  const title = `High Street Greening ${stamp}`;
  const { createRound } = await staff('mutation($i: CreateRoundInput!) { createRound(input: $i) { id } }', {
    i: {
      title,
      pots: [{ areaId: area, amountPence: 500000 }],
      ballot: { kind: 'APPROVAL' },
      countingRule: { name: 'greedy' },
      eligibility: { relations: ['LIVE'], methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: true },
    },
  });
  const id = createRound.id as string;
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BIDS_OPEN) { id } }', { id });
  const { registerGroup } = await chair('mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id } }', {
    i: { name: `High Street Growers ${stamp}`, description: 'Greening the high street.', contactEmail: 'growers@example.org', areaId: area },
  });
  const bids: Record<string, string> = {};
  for (const [bidTitle, cost] of [[PLANTERS, 200000], [LITTER, 150000]] as const) {
    const { submitBid } = await chair('mutation($i: SubmitBidInput!) { submitBid(input: $i) { id } }', {
      i: { roundId: id, groupId: registerGroup.id, areaId: area, details: { title: bidTitle, summary: `${bidTitle}, for everyone.`, description: 'What the project does, who it helps and how it is looked after.', costPence: cost, category: 'environment' } },
    });
    await staff('mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { id } }', { id: submitBid.id });
    bids[bidTitle] = submitBid.id as string;
  }
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: BID_REVIEW) { id } }', { id });
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: VOTING) { id } }', { id });
  const voter = await apiSession(`vera.delivery.${stamp}@example.org`);
  await voter('mutation($r: ID!, $p: PersonDetailsInput!) { declareEligibility(roundId: $r, person: $p) { verified } }', {
    r: id,
    p: { name: 'Vera Delivery', dateOfBirth: '1981-04-04', postcode: 'LS6 2AA', relation: 'LIVE' },
  });
  await voter('mutation($i: CastBallotInput!) { castBallot(input: $i) { replaced } }', { i: { roundId: id, choices: [{ bidId: bids[PLANTERS] }, { bidId: bids[LITTER] }], idempotencyKey: `delivery-${stamp}` } });
  await staff('mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { id } }', { id });
  await expect.poll(async () => (await staff('query($id: ID!) { round(id: $id) { phase } }', { id })).round.phase, { timeout: 30_000 }).toBe('COUNTED');
  await staff('mutation($id: ID!) { publishResult(roundId: $id) { id } }', { id });
  return { id, title, bids, chair: chairEmail, admin };
}

/** The image with this alt text has loaded: it is in the page, and the browser decoded it. */
async function expectPhotoLoaded(page: Page, alt: string) {
  const img = page.getByRole('img', { name: alt }).first();
  await img.scrollIntoViewIfNeeded();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)), { message: `the photo “${alt}” loads` }).toBeGreaterThan(0);
  await expect(img).toHaveAttribute('loading', 'lazy');
  await expect(img).toHaveAttribute('width', /^\d+$/);
  await expect(img).toHaveAttribute('height', /^\d+$/);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  round = await publishedRound();
});

test('delivery: a group posts an update with a photo, an officer approves it and records progress, anyone sees it in English and Welsh', async ({ browser }) => {
  test.setTimeout(300_000);
  const bid = round.bids[PLANTERS]!;

  // Published: every funded bid is planned, nothing spent yet.
  const visitor = await newPerson(browser);
  const anyone = await visitor.newPage();
  await anyone.goto(`/rounds/${round.id}/results`);
  await anyone.getByRole('link', { name: 'See what happened to the money' }).click();
  await expect(anyone).toHaveURL(new RegExp(`/rounds/${round.id}/delivery$`));
  await expect(anyone.getByRole('heading', { level: 1 })).toHaveText('What happened to the money');
  await expect(anyone.getByText('0 of 2 funded projects delivered')).toBeVisible();
  await expect(anyone.getByText('£0 spent of £3,500 promised')).toBeVisible();
  await expect(anyone.locator(`#bid-${bid}`)).toContainText('Planned');
  await expect(anyone.locator(`#bid-${bid}`)).toContainText('No updates yet.');

  // The group: the bid's page leads to the form.
  const group = await newPerson(browser);
  const member = await group.newPage();
  await member.goto(`/bids/${bid}`);
  await signIn(member, round.chair, `/bids/${bid}`);
  await expect(member.getByRole('heading', { level: 2, name: 'Delivery' })).toBeVisible();
  await member.getByRole('link', { name: 'Post an update' }).click();
  await expect(member).toHaveURL(new RegExp(`/bids/${bid}/updates$`));
  await expect(member.getByRole('heading', { level: 1 })).toHaveText('Post an update');
  await checkBothWidths(member);
  await screenshots(member, 'delivery-update-form');

  // Nothing written: the error is on the text.
  await member.getByRole('button', { name: 'Send the update' }).click();
  await expect(member.getByRole('alert')).toContainText('Enter what has happened');
  await expect(member).toHaveTitle(/^Error: Post an update/);

  // A file that is not an image: the API reads it and refuses it, beside its field, with the text kept.
  await member.getByLabel('What has happened?').fill(UPDATE);
  await member.locator('#photo-1').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('These are my notes, not a photo.') });
  await member.locator('#alt-1').fill('My notes');
  await member.getByRole('button', { name: 'Send the update' }).click();
  await expect(member.getByRole('alert')).toContainText('Photo 1 must be a JPEG, PNG or WebP image');
  await expect(member.locator('#photo-1-error')).toContainText('Photo 1 must be a JPEG, PNG or WebP image');
  await expect(member.getByLabel('What has happened?')).toHaveValue(UPDATE);
  await expect(member.locator('#alt-1')).toHaveValue('My notes');
  await expect(member.getByText('Choose your photos again.')).toBeVisible();
  await checkBothWidths(member);
  await screenshots(member, 'delivery-update-errors');

  // A photo over 5 MB: refused on its field by the web client, everything typed kept; and a description with no photo.
  await member.locator('#photo-1').setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([JPEG, Buffer.alloc(5.5 * 1024 * 1024, 7)]) });
  await member.locator('#alt-2').fill('A photo I forgot to choose');
  await member.getByRole('button', { name: 'Send the update' }).click();
  await expect(member.getByRole('alert')).toContainText('Photo 1 must be 5 MB or smaller');
  await expect(member.locator('#photo-1-error')).toContainText('Photo 1 must be 5 MB or smaller');
  await expect(member.locator('#photo-2-error')).toContainText('Choose photo 2, or delete its description');
  await expect(member.getByLabel('What has happened?')).toHaveValue(UPDATE);
  await expect(member.locator('#alt-2')).toHaveValue('A photo I forgot to choose');

  // A photo without its description, then with one: sent, waiting for the council.
  await member.locator('#alt-1').fill('');
  await member.locator('#alt-2').fill('');
  await member.locator('#photo-1').setInputFiles({ name: 'planters.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await member.getByRole('button', { name: 'Send the update' }).click();
  await expect(member.getByRole('alert')).toContainText('Describe what photo 1 shows');
  await member.locator('#photo-1').setInputFiles({ name: 'planters.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await member.locator('#alt-1').fill(ALT);
  await member.getByRole('button', { name: 'Send the update' }).click();
  await expect(member.getByRole('heading', { level: 1 })).toHaveText('Update sent');
  await expect(member.getByText('Your update is waiting for the council to approve it')).toBeVisible();
  await checkBothWidths(member);
  await screenshots(member, 'delivery-update-sent');

  // The group sees it waiting, its photo too (the API knows them by the session the web client sends on).
  await member.getByRole('link', { name: 'Your group’s updates' }).click();
  const mine = member.locator('.app-card', { hasText: UPDATE });
  await expect(mine).toContainText('Waiting for approval');
  await expectPhotoLoaded(member, ALT);
  const pendingSrc = await member.getByRole('img', { name: ALT }).getAttribute('src');
  expect(pendingSrc).toMatch(/^\/delivery\/photos\/\d+\.jpg$/);
  const pendingPhoto = await member.request.get(pendingSrc!);
  expect(pendingPhoto.status()).toBe(200);
  expect(pendingPhoto.headers()['cache-control']).toBe('private, no-store');

  // Nobody else sees it yet: not on the public page, and not its photo.
  await anyone.reload();
  await expect(anyone.getByText(UPDATE)).toHaveCount(0);
  expect((await fetch(`${WEB_URL}${pendingSrc}`)).status).toBe(404);

  // The officer: from the staff round page to the round's delivery, then the bid's.
  const staffContext = await newPerson(browser);
  const officer = await staffContext.newPage();
  await officer.goto(`/officer/rounds/${round.id}`);
  await signIn(officer, round.admin, `/officer/rounds/${round.id}`);
  await officer.getByRole('link', { name: 'Delivery of funded projects' }).click();
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText('Delivery of funded projects');
  await expect(officer.getByText('1 update waiting for approval')).toBeVisible();
  await checkBothWidths(officer);
  await screenshots(officer, 'staff-delivery');
  await officer.getByRole('link', { name: PLANTERS }).click();
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText(PLANTERS);
  await expect(officer.getByText(UPDATE)).toBeVisible();
  await expectPhotoLoaded(officer, ALT);
  await checkBothWidths(officer);
  await screenshots(officer, 'staff-delivery-bid');

  // Not approving needs a reason for the group.
  await officer.getByRole('button', { name: 'Do not approve' }).click();
  await expect(officer.getByRole('alert')).toContainText('Enter why the update is not approved');
  await checkBothWidths(officer);
  await officer.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(officer.getByText('The update was approved. It is now public, and the group has been emailed.')).toBeVisible();
  await expect(officer.getByText('No updates are waiting for approval.')).toBeVisible();

  // The status: delayed needs a reason, whose field shows once delayed is chosen.
  await expect(officer.getByLabel('Why is it delayed or cancelled?')).toBeHidden();
  await officer.getByLabel('Delayed', { exact: true }).check();
  await expect(officer.getByLabel('Why is it delayed or cancelled?')).toBeVisible();
  await officer.getByRole('button', { name: 'Save the status' }).click();
  await expect(officer.getByRole('alert')).toContainText('Enter why the project is delayed');
  await officer.getByLabel('Why is it delayed or cancelled?').fill('The bulbs for the second planting arrive late.');
  await officer.getByRole('button', { name: 'Save the status' }).click();
  await expect(officer.getByText('The status was saved.')).toBeVisible();

  // The money spent, in pounds: not a number, then more than the award without a reason, then right.
  await officer.getByLabel('Money spent so far').fill('lots');
  await officer.getByRole('button', { name: 'Save the money spent' }).click();
  await expect(officer.getByRole('alert')).toContainText('Enter the money spent in pounds');
  await officer.getByLabel('Money spent so far').fill('2,500');
  await officer.getByRole('button', { name: 'Save the money spent' }).click();
  await expect(officer.getByRole('alert')).toContainText('Enter why more than the award was spent');
  await officer.getByLabel('Money spent so far').fill('£1,250.50');
  await officer.getByRole('button', { name: 'Save the money spent' }).click();
  await expect(officer.getByText('The money spent was saved.')).toBeVisible();
  await expect(officer.getByLabel('Money spent so far')).toHaveValue('1250.50');

  // Milestones: a row needs its date; two rows saved, and two empty rows follow them.
  await officer.locator('#milestone-1-title').fill('Planter boxes built');
  await officer.locator('#milestone-1-target').fill('2026-10-01');
  await officer.locator('#milestone-1-done').fill('2026-09-28');
  await officer.locator('#milestone-2-title').fill('Spring bulbs planted');
  await officer.getByRole('button', { name: 'Save the milestones' }).click();
  await expect(officer.getByRole('alert')).toContainText('Enter the date milestone 2 is due by');
  await expect(officer.locator('#milestone-1-title')).toHaveValue('Planter boxes built');
  await officer.locator('#milestone-2-target').fill('2027-03-31');
  await officer.getByRole('button', { name: 'Save the milestones' }).click();
  await expect(officer.getByText('The milestones were saved.')).toBeVisible();
  await expect(officer.locator('#milestone-4-title')).toHaveValue('');
  await expect(officer.locator('#milestone-5-title')).toHaveCount(0);
  await checkBothWidths(officer);

  // Anyone: the update and its photo, the status with its reason, the money and the milestones.
  // (A new visitor: the page seen a moment ago may be kept a minute, like the results.)
  await visitor.close();
  const visitor2 = await newPerson(browser);
  const anyone2 = await visitor2.newPage();
  await anyone2.goto(`/rounds/${round.id}/delivery`);
  const card = anyone2.locator(`#bid-${bid}`);
  await expect(card).toContainText(UPDATE);
  await expect(card).toContainText('Delayed');
  await expect(card).toContainText('The bulbs for the second planting arrive late.');
  await expect(card).toContainText('£1,250.50');
  await expect(card).toContainText('Planter boxes built');
  await expect(card).toContainText('Due by 1 October 2026. Done on 28 September 2026.');
  await expect(card).toContainText('Due by 31 March 2027. Not done yet.');
  await expect(anyone2.getByText('£1,250.50 spent of £3,500 promised')).toBeVisible();
  await expectPhotoLoaded(anyone2, ALT);
  await expect(anyone2.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', `/rounds/${round.id}/delivery.atom`);
  await checkBothWidths(anyone2);
  await screenshots(anyone2, 'delivery');
  // The approved photo is public for good now.
  const publicPhoto = await fetch(`${WEB_URL}${pendingSrc}`);
  expect(publicPhoto.status).toBe(200);
  expect(publicPhoto.headers.get('content-type')).toBe('image/jpeg');
  expect(publicPhoto.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

  // Cached like the results: public, no cookie, and a 304 for the same page (asked again as a cache or browser does).
  const probe = await newPerson(browser);
  for (const address of [`/rounds/${round.id}/delivery`, `/rounds/${round.id}/delivery.atom`]) {
    const first = await probe.request.get(address);
    expect(first.headers()['cache-control'], address).toBe('public, max-age=60, must-revalidate');
    expect(first.headers()['set-cookie'], address).toBeUndefined();
    expect(first.headers()['vary'], address).toMatch(/\bCookie\b/);
    const etag = first.headers()['etag'];
    expect(etag, address).toBeTruthy();
    const again = await probe.request.get(address, { headers: { 'cache-control': 'max-age=0', 'if-none-match': etag! } });
    expect(again.status(), address).toBe(304);
  }
  expect(await probe.cookies()).toEqual([]);
  await probe.close();

  // The bid's page: the delivery, with every approved update and its photo.
  await anyone2.getByRole('link', { name: PLANTERS, exact: true }).click();
  await expect(anyone2.getByRole('heading', { level: 2, name: 'Delivery' })).toBeVisible();
  await expect(anyone2.getByText(UPDATE)).toBeVisible();
  await expectPhotoLoaded(anyone2, ALT);
  await checkBothWidths(anyone2);
  await screenshots(anyone2, 'bid-delivery');

  // In Welsh.
  await anyone2.goto(`/rounds/${round.id}/delivery?lang=cy`);
  await expect(anyone2.getByRole('heading', { level: 1 })).toHaveText('Beth ddigwyddodd i’r arian');
  await expect(anyone2.getByText('0 o’r 2 brosiect a gafodd gyllid wedi’u cyflawni')).toBeVisible();
  await expect(card).toContainText('Wedi’i oedi');
  await expect(card).toContainText('£1,250.50');
  await expect(card).toContainText('Erbyn 1 Hydref 2026. Wedi’i wneud ar 28 Medi 2026.');
  await expect(card).toContainText(UPDATE);
  await expectPhotoLoaded(anyone2, ALT);
  await expect(anyone2.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', `/rounds/${round.id}/delivery.atom?lang=cy`);
  await checkBothWidths(anyone2);
  await screenshots(anyone2, 'cy-delivery');
  await anyone2.goto(`/bids/${bid}?lang=cy`);
  await expect(anyone2.getByRole('heading', { level: 2, name: 'Cyflawni’r prosiect' })).toBeVisible();
  await checkBothWidths(anyone2);

  // The feed: Atom that parses, with the update linking to its bid's page; in Welsh with ?lang=cy.
  for (const [lang, title] of [['en', 'what happened to the money'], ['cy', 'beth ddigwyddodd i’r arian']] as const) {
    const res = await fetch(`${WEB_URL}/rounds/${round.id}/delivery.atom${lang === 'cy' ? '?lang=cy' : ''}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    expect(res.headers.get('set-cookie')).toBeNull();
    const xml = await res.text();
    const feed = await anyone2.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const ns = 'http://www.w3.org/2005/Atom';
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.namespaceURI + ' ' + doc.documentElement.localName,
        title: doc.getElementsByTagNameNS(ns, 'title')[0]?.textContent ?? '',
        entries: Array.from(doc.getElementsByTagNameNS(ns, 'entry')).map((e) => ({
          title: e.getElementsByTagNameNS(ns, 'title')[0]?.textContent ?? '',
          link: e.getElementsByTagNameNS(ns, 'link')[0]?.getAttribute('href') ?? '',
          content: e.getElementsByTagNameNS(ns, 'content')[0]?.textContent ?? '',
        })),
      };
    }, xml);
    expect(feed.error, 'the feed parses as XML').toBe(0);
    expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
    expect(feed.title).toContain(title);
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]!.title).toContain(PLANTERS);
    expect(feed.entries[0]!.link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/bids/${bid}(\\?lang=cy)?#update-\\d+$`));
    expect(feed.entries[0]!.content).toContain(UPDATE);
    expect(feed.entries[0]!.content).toContain(`alt="${ALT}"`);
  }

  // The group: its update is public now.
  await member.goto(`/bids/${bid}/updates`);
  await expect(member.locator('.app-card', { hasText: UPDATE })).toContainText('Public');
  await checkBothWidths(member);

  // A councillor sees the staff pages without their forms.
  const councillorEmail = `cora.delivery.${stamp}@example.org`;
  const staffApi = await apiSession(round.admin);
  await staffApi('mutation($e: String!) { grantRole(email: $e, role: COUNCILLOR) { id } }', { e: councillorEmail });
  const councillorContext = await newPerson(browser);
  const councillor = await councillorContext.newPage();
  await councillor.goto(`/officer/rounds/${round.id}/delivery/${bid}`);
  await signIn(councillor, councillorEmail, `/officer/rounds/${round.id}/delivery/${bid}`);
  await expect(councillor.getByRole('heading', { level: 1 })).toHaveText(PLANTERS);
  await expect(councillor.getByText('Only officers can approve updates and change a delivery.')).toBeVisible();
  await expect(councillor.getByRole('button', { name: 'Save the status' })).toHaveCount(0);
  await checkBothWidths(councillor);

  await Promise.all([visitor2.close(), group.close(), staffContext.close(), councillorContext.close()]);
});

test('delivery: the demo’s published round, one area at a time, and before publication', async ({ browser }) => {
  const spring = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);
  const page = await context.newPage();
  await page.goto(`/rounds/${spring}`);
  await page.getByRole('link', { name: 'See what happened to the money' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What happened to the money');
  const areas = page.getByRole('navigation', { name: 'Areas' });
  await expect(areas.getByText('All areas')).toHaveAttribute('aria-current', 'page');
  await areas.getByRole('link', { name: 'Chapel Allerton' }).click();
  await expect(page).toHaveURL(/\/delivery\?area=\d+$/);
  await expect(page.getByText('Projects in Chapel Allerton')).toBeVisible();
  await expect(areas.getByText('Chapel Allerton')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('Hyde Park and Woodhouse', { exact: true })).toHaveCount(1);
  await checkBothWidths(page);
  await screenshots(page, 'delivery-area');
  expect((await page.request.get(`/rounds/${spring}/delivery?area=999999`)).status()).toBe(404);

  // Before publication, the page says so; the feed is not there.
  const summer = await roundId('Summer Streets 2026');
  await page.goto(`/rounds/${summer}/delivery`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What happened to the money is not published yet');
  await checkBothWidths(page);
  expect((await page.request.get(`/rounds/${summer}/delivery.atom`)).status()).toBe(404);
  await context.close();
});

test('delivery: the public page and posting an update with JavaScript turned off', async ({ browser }) => {
  test.setTimeout(120_000);
  const bid = round.bids[LITTER]!;
  const context = await newPerson(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/rounds/${round.id}/delivery`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What happened to the money');
  await expectPhotoLoaded(page, ALT);

  await page.goto(`/bids/${bid}/updates`);
  await signIn(page, round.chair, `/bids/${bid}/updates`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Post an update');
  await page.getByRole('button', { name: 'Send the update' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter what has happened');
  await page.getByLabel('What has happened?').fill('Our first litter pick: 14 bags collected.');
  await page.locator('#photo-2').setInputFiles({ name: 'pick.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.locator('#alt-2').fill('Fourteen full bags of litter by the park gate');
  await page.getByRole('button', { name: 'Send the update' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Update sent');
  await page.goto(`/bids/${bid}/updates`);
  await expect(page.locator('.app-card', { hasText: 'Our first litter pick' })).toContainText('Waiting for approval');
  await expectPhotoLoaded(page, 'Fourteen full bags of litter by the park gate');
  await context.close();
});
