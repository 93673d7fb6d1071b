// Caching: which responses a shared cache may keep (http/cache.ts), and the
// web server keeping to it: no cookie on a page without a form, an ETag and
// a 304, and `private, no-store` for everything personal.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { GraphQLClient } from '../../src/graphql/client.js';
import { RenderedPages } from '../../src/http/rendered.js';
import { PERSONAL, PUBLISHED, REVALIDATE, cacheControl, cacheDefaults, isPersonal, lastPublished, publishedPageEtag, sharedCacheable } from '../../src/http/cache.js';

/** The web client on a free port over `client`, for one describe block. */
function serving(client: GraphQLClient): { base: string } {
  const served = { base: '' };
  let server: Server;
  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    server = createApp({ config: { ...loadConfig({}), secureCookies: false }, client }).listen(0);
    await new Promise((r) => server.once('listening', r));
    served.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    vi.restoreAllMocks();
  });
  return served;
}

const anonymousGet = { method: 'GET', cookies: [], signedIn: false, setsCookie: false };

describe('the cache policy', () => {
  it('keeps an anonymous GET with no cookie, or only the language or form cookies, impersonal', () => {
    expect(isPersonal(anonymousGet)).toBe(false);
    expect(isPersonal({ ...anonymousGet, method: 'HEAD' })).toBe(false);
    expect(isPersonal({ ...anonymousGet, cookies: ['fs_lang', 'fs_visitor', 'fs_csrf'] })).toBe(false);
  });

  it('calls personal anything signed in, with a session or a message, setting a cookie, or not a GET', () => {
    expect(isPersonal({ ...anonymousGet, signedIn: true })).toBe(true);
    expect(isPersonal({ ...anonymousGet, cookies: ['fs_session'] })).toBe(true);
    expect(isPersonal({ ...anonymousGet, cookies: ['fs_lang', 'fs_flash'] })).toBe(true);
    expect(isPersonal({ ...anonymousGet, setsCookie: true })).toBe(true);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(isPersonal({ ...anonymousGet, method }), method).toBe(true);
  });

  it('gives each kind of page its Cache-Control', () => {
    expect(cacheControl('public', false)).toBe('public, no-cache');
    expect(cacheControl('published', false)).toBe('public, max-age=60, must-revalidate');
    expect(cacheControl(undefined, false)).toBe('private, no-store');
    expect(cacheControl('public', true)).toBe('private, no-store');
    expect(cacheControl('published', true)).toBe('private, no-store');
  });

  it('tells which values let a shared cache keep a response', () => {
    expect(sharedCacheable(REVALIDATE)).toBe(true);
    expect(sharedCacheable(PUBLISHED)).toBe(true);
    expect(sharedCacheable('Public, Max-Age=60')).toBe(true);
    expect(sharedCacheable(PERSONAL)).toBe(false);
    expect(sharedCacheable('public, no-store')).toBe(false);
    expect(sharedCacheable('max-age=60')).toBe(false);
    expect(sharedCacheable(undefined)).toBe(false);
  });

  it('dates a result by its newest publication, corrections included', () => {
    expect(lastPublished([])).toBeUndefined();
    expect(lastPublished([{ publishedAt: null }, { publishedAt: 'not a date' }])).toBeUndefined();
    const newest = lastPublished([{ publishedAt: '2026-05-01T10:00:00Z' }, { publishedAt: '2026-05-03T09:30:00Z' }, { publishedAt: null }]);
    expect(newest?.toISOString()).toBe('2026-05-03T09:30:00.000Z');
  });
});

describe('a response that sets a cookie', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use(cacheDefaults());
    app.get('/public-then-cookie', (_req, res) => {
      res.set('Cache-Control', PUBLISHED);
      res.cookie('x', 'y');
      res.send('page');
    });
    app.get('/public', (_req, res) => {
      res.set('Cache-Control', PUBLISHED);
      res.send('page');
    });
    app.get('/nothing-said', (_req, res) => {
      res.send('page');
    });
    server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('is never left for shared caches, whatever its route said', async () => {
    const res = await fetch(`${base}/public-then-cookie`);
    expect(res.headers.getSetCookie()).toHaveLength(1);
    expect(res.headers.get('cache-control')).toBe(PERSONAL);
  });

  it('while one without a cookie keeps what its route said, and one that said nothing is private', async () => {
    expect((await fetch(`${base}/public`)).headers.get('cache-control')).toBe(PUBLISHED);
    expect((await fetch(`${base}/nothing-said`)).headers.get('cache-control')).toBe(PERSONAL);
  });
});

describe('the web server’s caching', () => {
  const resident = { id: '3', displayName: 'Rhys Resident', language: 'EN', roles: [], groups: [] };
  const round = {
    id: '7',
    title: 'Winter Lights 2026',
    description: '',
    phase: 'VOTING',
    phaseChangedAt: '2026-01-01T00:00:00Z',
    settingsFrozen: true,
    closeCheckpoint: null,
    closeCheckpointSignature: null,
    observing: false,
    schedule: { bidsOpenAt: null, bidsCloseAt: null, votingOpensAt: null, votingClosesAt: null },
    ballot: { kind: 'APPROVAL', minChoices: null, maxChoices: null, scoreMin: null, scoreMax: null, pointsTotal: null, pointsMaxPerBid: null },
    countingRule: { name: 'greedy', tieBreak: 'COST_SUPPORT_SEED', seed: null, minSupport: null, rankPoints: null, seats: null },
    eligibility: { relations: ['LIVE'], minAge: null, methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: false },
    pots: [],
  };
  const verification = {
    id: '1',
    roundId: '7',
    relation: 'LIVE',
    methods: ['POSTCODE'],
    verified: false,
    held: false,
    verifiedAt: null,
    ageCheckedAtLeast: null,
    hasPhone: false,
    hasEmail: true,
    createdAt: '2026-01-01T00:00:00Z',
    storedData: [],
    area: { id: '1', name: 'Hyde Park' },
  };
  const page = <T>(nodes: T[]) => ({ nodes, pageInfo: { hasNextPage: false, endCursor: null } });
  let rounds = [{ id: '7', title: 'Winter Lights 2026', phase: 'VOTING' }];
  const client: GraphQLClient = {
    async request(document, _variables, ctx) {
      const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
      if (name === 'Me') return { me: ctx.token === 'tok' ? resident : null } as never;
      if (name === 'StartPage') return { voting: page([]), rounds: page(rounds) } as never;
      if (name === 'RoundPage') return { round } as never;
      if (name === 'MyVerifications') return { myVerifications: [verification], rounds: page(rounds) } as never;
      if (name === 'MyReminders') return { myReminders: [] } as never;
      if (name === 'DeleteMyVerification') return { deleteMyVerification: true } as never;
      if (name === 'AreasCoverage') return { areas: page([{ id: '1', name: 'Hyde Park', coverage: page(['LS6 1']) }]) } as never;
      throw new Error(`unexpected operation: ${name}`);
    },
  };
  const served = serving(client);
  beforeEach(() => {
    rounds = [{ id: '7', title: 'Winter Lights 2026', phase: 'VOTING' }];
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${served.base}${path}`, { headers, redirect: 'manual' });

  it.each(['/', '/accessibility', '/rounds/7'])('sends %s to a visitor with no cookies without setting one, for any cache to keep and check again', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get('cache-control')).toBe(REVALIDATE);
    expect(res.headers.get('vary')).toMatch(/\bCookie\b/);
    expect(res.headers.get('etag')).toBeTruthy();
    expect(await res.text()).not.toContain('name="_csrf"');
  });

  it('answers a repeat with its ETag with a 304 and no body, and a changed page with a 200', async () => {
    const first = await get('/');
    const etag = first.headers.get('etag')!;
    // As a browser or a cache revalidates (fetch would add `no-cache`, a reload that wants the page whatever).
    const revalidate = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
    const again = await get('/', revalidate);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('cache-control')).toBe(REVALIDATE);
    rounds = [{ id: '7', title: 'Winter Lights 2026', phase: 'CLOSED' }];
    const changed = await get('/', revalidate);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('keeps a visitor’s language cookie from making the page personal, and varies on it', async () => {
    const res = await get('/', { cookie: 'fs_lang=cy; fs_visitor=abc' });
    expect(res.headers.get('cache-control')).toBe(REVALIDATE);
    expect(res.headers.get('vary')).toMatch(/\bCookie\b/);
    expect(await res.text()).toContain('<html lang="cy"');
    // The same choice again in the address sets nothing new.
    const same = await get('/?lang=cy', { cookie: 'fs_lang=cy' });
    expect(same.headers.getSetCookie()).toEqual([]);
    expect(same.headers.get('cache-control')).toBe(REVALIDATE);
  });

  it('remembers a language switch in a cookie, and then keeps that page from shared caches', async () => {
    const res = await get('/?lang=cy');
    expect(res.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(['fs_lang']);
    expect(res.headers.get('cache-control')).toBe(PERSONAL);
  });

  it('sets the form cookies with a page that has a form, kept private', async () => {
    const res = await get('/postcode');
    expect(res.headers.getSetCookie().map((c) => c.split('=')[0]).sort()).toEqual(['fs_csrf', 'fs_visitor']);
    expect(res.headers.get('cache-control')).toBe(PERSONAL);
    expect(await res.text()).toContain('name="_csrf"');
  });

  it('makes one token for a page, good for each form the visitor is sent (sign-out here, deleting a verification after its confirmation page)', async () => {
    const res = await get('/account', { cookie: 'fs_session=tok' });
    expect(res.status).toBe(200);
    const tokens = [...(await res.text()).matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]);
    expect(tokens).toHaveLength(1);
    const set = res.headers.getSetCookie();
    expect(set.filter((c) => c.startsWith('fs_csrf='))).toHaveLength(1);
    const cookies = [...set.map((c) => c.split(';')[0]), 'fs_session=tok'].join('; ');
    const posted = await fetch(`${served.base}/account/verifications/7/delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: new URLSearchParams({ _csrf: tokens[0]! }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
  });

  it('keeps every page of someone signed in private, a public one with a form included', async () => {
    for (const path of ['/', '/accessibility', '/rounds/7']) {
      const res = await get(path, { cookie: 'fs_session=tok' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe(PERSONAL);
    }
  });

  it('keeps private a page with a success message, and one with a session that has ended', async () => {
    const flash = await get('/', { cookie: 'fs_flash=checkpoint.observed' });
    expect(flash.headers.get('cache-control')).toBe(PERSONAL);
    const ended = await get('/', { cookie: 'fs_session=expired' });
    expect(ended.headers.get('cache-control')).toBe(PERSONAL);
    expect(ended.headers.getSetCookie().some((c) => c.startsWith('fs_session=;'))).toBe(true);
  });

  it('keeps redirects and error pages private', async () => {
    const missing = await get('/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe(PERSONAL);
    const redirect = await get('/account');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe(PERSONAL);
  });

  it('still refuses a form posted without its token, with no cookies or with the form’s', async () => {
    const post = (cookie: string, body: string) =>
      fetch(`${served.base}/postcode`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body, redirect: 'manual' });
    const bare = await post('', 'postcode=LS6+1AB');
    expect(bare.status).toBe(403);
    expect(bare.headers.get('cache-control')).toBe(PERSONAL);
    const form = await get('/postcode');
    const cookies = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    expect((await post(cookies, 'postcode=LS6+1AB')).status).toBe(403);
    // The token alone, without the visitor it was made for, is refused too.
    const csrfOnly = cookies.split('; ').filter((c) => c.startsWith('fs_csrf=')).join('; ');
    expect((await post(csrfOnly, new URLSearchParams({ _csrf: token, postcode: 'LS6 1AB' }).toString())).status).toBe(403);
    const ok = await post(cookies, new URLSearchParams({ _csrf: token, postcode: 'LS6 1AB' }).toString());
    expect(ok.status).toBe(303);
    expect(ok.headers.get('cache-control')).toBe(PERSONAL);
  });
});

describe('publishedPageEtag', () => {
  const base = { page: 'results-3', version: null, lang: 'en', lastModified: new Date(1_700_000_000_000), build: 'abc123def456' };
  it('is weak and names the page, version, language, publication and build', () => {
    expect(publishedPageEtag(base)).toBe('W/"results-3-latest-en-1700000000000-abc123def456"');
    expect(publishedPageEtag({ ...base, version: 2 })).toBe('W/"results-3-v2-en-1700000000000-abc123def456"');
  });
  it('changes with a correction, a language and a release', () => {
    const etag = publishedPageEtag(base);
    expect(publishedPageEtag({ ...base, lastModified: new Date(1_700_000_060_000) })).not.toBe(etag);
    expect(publishedPageEtag({ ...base, lang: 'cy' })).not.toBe(etag);
    expect(publishedPageEtag({ ...base, build: 'fff000fff000' })).not.toBe(etag);
  });
});

describe('a published result’s freshness, asked for many at once', () => {
  const version = { version: 1, reason: null, countedAt: '2026-03-01T10:00:00Z', publishedAt: '2026-03-02T10:00:00Z' };
  const round = { id: '8', title: 'Spring Greens 2026', phase: 'PUBLISHED', closeCheckpoint: null, closeCheckpointSignature: null, countingRule: { name: 'greedy' } };
  const result = { ...version, provisional: false, bundleUrl: '/rounds/8/results/v1/bundle.tar', configurationSha256: 'c0ffee', excludedBidIds: [], pots: [] };
  const asked: (string | undefined)[] = [];
  let answer: () => void = () => undefined;
  const client: GraphQLClient = {
    async request(document, _variables, ctx) {
      const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
      if (name === 'Me') return { me: ctx.token === 'tok' ? { id: '3', displayName: 'Rhys', language: 'EN', roles: [], groups: [] } : null } as never;
      if (name === 'ResultFreshness') {
        asked.push(ctx.token);
        // The API answers when the test says so.
        await new Promise<void>((resolve) => {
          const before = answer;
          answer = () => {
            before();
            resolve();
          };
        });
        return { resultVersions: [version] } as never;
      }
      if (name === 'RoundResultPage') return { round, roundResult: result, resultVersions: [version] } as never;
      throw new Error(`unexpected operation: ${name}`);
    },
  };
  const served = serving(client);

  const settle = async (n: number) => {
    while (asked.length < n) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
  };

  it('asks the API once for visitors who arrive together, and again for the next', async () => {
    asked.length = 0;
    const together = Array.from({ length: 10 }, () => fetch(`${served.base}/rounds/8/results`));
    await settle(1);
    expect(asked).toEqual([undefined]);
    answer();
    const pages = await Promise.all(together);
    expect(pages.map((p) => p.status)).toEqual(Array(10).fill(200));
    const etags = new Set(pages.map((p) => p.headers.get('etag')));
    expect(etags.size).toBe(1);
    // Nothing was kept: the next visitor's request asks again.
    const next = fetch(`${served.base}/rounds/8/results`);
    await settle(2);
    answer();
    expect((await next).status).toBe(200);
    expect(asked).toEqual([undefined, undefined]);
  });

  it('lets a signed-in person ask for themselves', async () => {
    asked.length = 0;
    const visitor = fetch(`${served.base}/rounds/8/results`);
    await settle(1);
    const signedIn = fetch(`${served.base}/rounds/8/results`, { headers: { cookie: 'fs_session=tok' } });
    await settle(2);
    expect(asked).toEqual([undefined, 'tok']);
    answer();
    expect((await visitor).status).toBe(200);
    expect((await signedIn).status).toBe(200);
  });
});

describe('a published results page kept as rendered', () => {
  const version = { version: 1, reason: null, countedAt: '2026-03-01T10:00:00Z', publishedAt: '2026-03-02T10:00:00Z' };
  const round = { id: '9', title: 'Autumn Greens 2026', phase: 'PUBLISHED', closeCheckpoint: null, closeCheckpointSignature: null, countingRule: { name: 'greedy' } };
  const result = { ...version, provisional: false, bundleUrl: '/rounds/9/results/v1/bundle.tar', configurationSha256: 'c0ffee', excludedBidIds: [], pots: [] };
  let rendered = 0;
  const client: GraphQLClient = {
    async request(document) {
      const name = /(?:query|mutation) (\w+)/.exec(document.toString())?.[1] ?? '';
      if (name === 'ResultFreshness') return { resultVersions: [version] } as never;
      if (name === 'RoundResultPage') {
        rendered += 1;
        return { round, roundResult: result, resultVersions: [version] } as never;
      }
      throw new Error(`unexpected operation: ${name}`);
    },
  };
  const served = serving(client);
  const page = () => `${served.base}/rounds/9/results`;
  const get = (encodings?: string) => fetch(page(), { headers: encodings === undefined ? {} : { 'accept-encoding': encodings } });

  it('is rendered once, then sent compressed to whoever accepts it, and as it is otherwise', async () => {
    rendered = 0;
    const first = await get('identity');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-encoding')).toBeNull();
    expect(first.headers.get('vary')).toMatch(/Accept-Encoding/);
    const html = await first.text();
    const length = Buffer.byteLength(html);
    // Compressed in the background: brotli comes as soon as it is ready.
    let br = await get('gzip, deflate, br, zstd');
    for (let i = 0; i < 100 && !br.headers.get('content-encoding'); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      br = await get('gzip, deflate, br, zstd');
    }
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(Number(br.headers.get('content-length'))).toBeLessThan(length);
    expect(br.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(br.headers.get('cache-control')).toBe(PUBLISHED);
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/);
    expect(await br.text()).toBe(html);
    const gz = await get('gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe(html);
    // Brotli refused: the next best.
    expect((await get('br;q=0, gzip')).headers.get('content-encoding')).toBe('gzip');
    for (const plain of [await get('identity'), await get('')]) {
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(Number(plain.headers.get('content-length'))).toBe(length);
      expect(await plain.text()).toBe(html);
    }
    // The conditional GET still answers 304 with no body.
    // (As a cache revalidates: fetch alone would add `no-cache`.)
    const again = await fetch(page(), { headers: { 'if-none-match': first.headers.get('etag') ?? '', 'cache-control': 'max-age=0', 'accept-encoding': 'br' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(rendered).toBe(1);
  });

  it('keeps only as many pages as it may, the least recently used going first', async () => {
    const pages = new RenderedPages(2);
    await pages.keep('a', '<p>a</p>');
    await pages.keep('b', '<p>b</p>');
    expect(pages.get('a')?.html.toString()).toBe('<p>a</p>');
    await pages.keep('c', '<p>c</p>');
    expect(pages.get('b')).toBeUndefined();
    expect(pages.get('a')?.gzip).toBeDefined();
    expect(pages.get('c')?.br).toBeDefined();
    expect(pages.size).toBe(2);
  });
});
