// Caching, against the real API with the demo data: public pages set no
// cookie and can be kept by any cache, a published result for a minute,
// with an ETag and Last-Modified answered by a 304; every form, anything
// signed in and a result not yet published stay private; CSRF still guards
// every form.
import { expect, test, type APIResponse, type BrowserContext } from '@playwright/test';
import { newPerson, roundId, signIn } from './helpers.js';

const PERSONAL = 'private, no-store';
const REVALIDATE = 'public, no-cache';
const PUBLISHED = 'public, max-age=60, must-revalidate';

/** The first address on a page that matches `pattern`. */
async function firstLink(context: BrowserContext, path: string, pattern: RegExp): Promise<string> {
  const html = await (await context.request.get(path)).text();
  const found = pattern.exec(html)?.[0];
  if (!found) throw new Error(`no link like ${pattern} on ${path}`);
  return found;
}

const setCookies = (res: APIResponse) => res.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie');

/** As a cache or a browser asks again about a page it keeps. */
const revalidating = (headers: Record<string, string>) => ({ headers: { 'cache-control': 'max-age=0', ...headers } });

test('public pages: no cookie for a visitor without any, any cache may keep them, and a 304 when unchanged', async ({ browser }) => {
  const voting = await roundId('Summer Streets 2026');
  const published = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);
  const bids = await firstLink(context, `/rounds/${voting}`, new RegExp(`/rounds/${voting}/areas/\\d+`));
  const area = `/areas/${bids.split('/').pop()}`;
  const bid = await firstLink(context, bids, /\/bids\/\d+/);

  for (const path of ['/', '/accessibility', `/rounds/${voting}`, bids, bid, area, `/rounds/${published}`, `/rounds/${published}/results`]) {
    const res = await context.request.get(path);
    expect(res.status(), path).toBe(200);
    expect(setCookies(res), path).toEqual([]);
    expect(res.headers()['cache-control'], path).toBe(path.endsWith('/results') ? PUBLISHED : REVALIDATE);
    expect(res.headers()['vary'], path).toMatch(/\bCookie\b/);
    expect(res.headers()['etag'], path).toBeTruthy();
    expect(await res.text(), path).not.toContain('name="_csrf"');

    const again = await context.request.get(path, revalidating({ 'if-none-match': res.headers()['etag']! }));
    expect(again.status(), path).toBe(304);
    expect((await again.body()).length, path).toBe(0);
  }
  // Nothing was set along the way.
  expect(await context.cookies()).toEqual([]);
  await context.close();
});

test('a published result: kept a minute, dated by its publication, one ETag for each language', async ({ browser }) => {
  const published = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);
  const path = `/rounds/${published}/results`;
  const res = await context.request.get(path);
  expect(res.headers()['cache-control']).toBe(PUBLISHED);
  const etag = res.headers()['etag']!;
  const lastModified = res.headers()['last-modified']!;
  // Made from the publication, not the page: a conditional request is answered before anything is rendered.
  expect(etag).toMatch(new RegExp(`^W/"results-${published}-latest-en-\\d+-[0-9a-f]{12}"$`));
  expect(Date.parse(lastModified)).toBeLessThanOrEqual(Date.now());
  const page = await res.text();
  expect(page).toContain('Version 1. Published on');
  // Rendered once for everyone who shares it: the same page again, byte for byte, with the same validator.
  const again = await context.request.get(path);
  expect(again.status()).toBe(200);
  expect(await again.text()).toBe(page);
  expect(again.headers()['etag']).toBe(etag);

  expect((await context.request.get(path, revalidating({ 'if-modified-since': lastModified }))).status()).toBe(304);
  expect((await context.request.get(path, revalidating({ 'if-none-match': etag, 'if-modified-since': lastModified }))).status()).toBe(304);
  // A page that changed since is sent whole.
  expect((await context.request.get(path, revalidating({ 'if-none-match': 'W/"something-else"' }))).status()).toBe(200);

  // Welsh, by its cookie: another page, another ETag, and still public.
  const cy = await context.request.get(path, revalidating({ cookie: 'fs_lang=cy', 'if-none-match': etag }));
  expect(cy.status()).toBe(200);
  expect(await cy.text()).toContain('Canlyniadau');
  expect(cy.headers()['etag']).not.toBe(etag);
  expect(cy.headers()['cache-control']).toBe(PUBLISHED);
  expect(setCookies(cy)).toEqual([]);

  // One version by its number is public in the same way, with a validator of its own.
  const v1 = await context.request.get(`${path}?version=1`);
  expect(v1.headers()['cache-control']).toBe(PUBLISHED);
  expect(setCookies(v1)).toEqual([]);
  expect(v1.headers()['etag']).not.toBe(etag);
  const v1again = await context.request.get(`${path}?version=1`, revalidating({ 'if-none-match': v1.headers()['etag']! }));
  expect(v1again.status()).toBe(304);
  expect(v1again.headers()['cache-control']).toBe(PUBLISHED);
  // A version that does not exist is not answered from a validator.
  expect((await context.request.get(`${path}?version=9`, revalidating({ 'if-none-match': etag }))).status()).toBe(404);
  await context.close();
});

test('private: results not yet published, forms, redirects and the language switch', async ({ browser }) => {
  const voting = await roundId('Summer Streets 2026');
  const published = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);

  // Voting is still open: no result to keep.
  const none = await context.request.get(`/rounds/${voting}/results`);
  expect(none.status()).toBe(200);
  expect(await none.text()).toContain('The results are not published yet');
  expect(none.headers()['cache-control']).toBe(PERSONAL);

  // The pages that are pages with a form bring their form's cookies, and are this browser's only.
  for (const path of ['/postcode', `/rounds/${published}/receipt`, '/sign-in']) {
    const res = await context.request.get(path);
    expect(res.status(), path).toBe(200);
    expect(await res.text(), path).toContain('name="_csrf"');
    expect(res.headers()['cache-control'], path).toBe(PERSONAL);
  }
  expect((await context.cookies()).map((c) => c.name).sort()).toEqual(['fs_csrf', 'fs_visitor']);

  // Signing in, voting, proving eligibility, the staff pages: sent to sign in first, privately.
  for (const path of [`/rounds/${voting}/vote`, `/rounds/${voting}/verify`, '/account', '/groups', '/officer']) {
    const res = await context.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(302);
    expect(res.headers()['cache-control'], path).toBe(PERSONAL);
  }

  // The language switch is remembered in a cookie: that response is not for shared caches.
  const switched = await context.request.get('/?lang=cy');
  expect(setCookies(switched).map((h) => h.value.split('=')[0])).toEqual(['fs_lang']);
  expect(switched.headers()['cache-control']).toBe(PERSONAL);
  // Afterwards the Welsh start page is public again, varying on the cookie.
  const welsh = await context.request.get('/');
  expect(await welsh.text()).toContain('<html lang="cy"');
  expect(welsh.headers()['cache-control']).toBe(REVALIDATE);
  await context.close();
});

test('signed in: no page is public, not even a published result', async ({ browser }) => {
  const voting = await roundId('Summer Streets 2026');
  const published = await roundId('Spring Greens 2026');
  const context = await newPerson(browser);
  const page = await context.newPage();
  // A new account of its own: signing in can set a demo account's language, which other tests rely on.
  await signIn(page, `caching-${Date.now()}@example.org`, '/');
  await expect(page.getByRole('link', { name: 'Your account' })).toBeVisible();

  for (const path of ['/', '/accessibility', `/rounds/${voting}`, `/rounds/${published}`, `/rounds/${published}/results`, '/account']) {
    const res = await context.request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()['cache-control'], path).toBe(PERSONAL);
  }
  // The round's page for someone signed in has the form to get its checkpoint by email.
  expect(await (await context.request.get(`/rounds/${voting}`)).text()).toContain('name="_csrf"');
  await context.close();
});

test('forms still need their token: a postcode found end to end, and refused without it', async ({ browser }) => {
  const context = await newPerson(browser);
  const page = await context.newPage();

  // Nothing to post from: no cookie, no token.
  const bare = await context.request.post('/postcode', { form: { postcode: 'LS6 1AB' }, maxRedirects: 0 });
  expect(bare.status()).toBe(403);
  expect(await bare.text()).toContain('Your form has expired');

  await page.goto('/');
  expect(await context.cookies()).toEqual([]);
  await page.getByRole('button', { name: 'Start now' }).click();
  expect((await context.cookies()).map((c) => c.name).sort()).toEqual(['fs_csrf', 'fs_visitor']);
  await page.getByLabel('What is your postcode?').fill('LS6 1AB');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hyde Park and Woodhouse');

  // The browser's cookies without the form's token are refused too.
  const noToken = await context.request.post('/postcode', { form: { postcode: 'LS6 1AB' }, maxRedirects: 0 });
  expect(noToken.status()).toBe(403);
  expect(noToken.headers()['cache-control']).toBe(PERSONAL);
  const wrongToken = await context.request.post('/postcode', { form: { _csrf: 'abc.def', postcode: 'LS6 1AB' }, maxRedirects: 0 });
  expect(wrongToken.status()).toBe(403);
  await context.close();
});
