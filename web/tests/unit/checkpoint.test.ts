// The close checkpoint in the web client: the form to get it by email and
// the API's refusals on it, what the round and results pages show, and the
// council's public key at the web's own address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { addApiError } from '../../src/forms/api-error.js';
import { observeApiErrors, parseObserve } from '../../src/forms/checkpoint.js';
import { ApiError, type GraphQLClient } from '../../src/graphql/client.js';
import { cy, en } from '../../src/i18n/index.js';
import { FormErrors } from '../../src/lib/forms.js';
import { SIGNING_KEY_PATH, closeCheckpoint, observeOffer } from '../../src/view-models/checkpoint.js';

const CHECKPOINT = 'a3f1c2d4e5b6978812345678900abcdefa3f1c2d4e5b6978812345678900abcd';
const SIGNATURE = '5e'.repeat(64);
const refused = (...errors: { code: string; message: string; field?: string }[]) => new ApiError(errors);

describe('the form to get the close checkpoint by email', () => {
  it('needs an address, in the page’s language', () => {
    expect(parseObserve({}, en).errors.byField).toEqual({ email: { text: en.checkpoint.errorEmailEmpty } });
    expect(parseObserve({ email: '  ' }, cy).errors.byField).toEqual({ email: { text: cy.checkpoint.errorEmailEmpty } });
    const bad = parseObserve({ email: 'not an address' }, en);
    expect(bad.errors.byField).toEqual({ email: { text: en.signIn.errorEmailInvalid } });
    expect(bad.values).toEqual({ email: 'not an address' });
    expect(bad.email).toBeNull();
  });

  it('takes an address as typed, trimmed', () => {
    const ok = parseObserve({ email: ' resident@demo.fairshare.localhost ' }, en);
    expect(ok.errors.any).toBe(false);
    expect(ok.email).toBe('resident@demo.fairshare.localhost');
  });

  it('puts the API’s refusals beside the email field', () => {
    const notYours = refused({ code: 'INVALID_INPUT', message: 'give the email address you sign in with', field: 'email' });
    expect(addApiError(new FormErrors(), notYours, observeApiErrors(en)).list).toEqual([{ text: en.checkpoint.errorNotYours, href: '#email' }]);
    expect(addApiError(new FormErrors(), notYours, observeApiErrors(cy)).list).toEqual([{ text: cy.checkpoint.errorNotYours, href: '#email' }]);
    const closed = refused({ code: 'PHASE_CLOSED', message: 'voting in this round has closed' });
    expect(addApiError(new FormErrors(), closed, observeApiErrors(en)).byField).toEqual({ email: { text: en.checkpoint.errorClosed } });
    const unreadable = refused({ code: 'INVALID_EMAIL', message: 'not an email address' });
    expect(addApiError(new FormErrors(), unreadable, observeApiErrors(cy)).byField).toEqual({ email: { text: cy.api.INVALID_EMAIL } });
    const limited = refused({ code: 'RATE_LIMITED', message: 'slow down' });
    expect(addApiError(new FormErrors(), limited, observeApiErrors(en)).byField).toEqual({ email: { text: en.api.RATE_LIMITED } });
  });

  it('leaves a missing round and a failure to the error pages', () => {
    for (const code of ['NOT_FOUND', 'INTERNAL', 'NOT_AUTHORISED']) {
      expect(() => addApiError(new FormErrors(), refused({ code, message: code }), observeApiErrors(en))).toThrow(ApiError);
    }
  });
});

describe('the close checkpoint’s view', () => {
  it('is there once voting has closed, with the command to check the bundle against it', () => {
    expect(closeCheckpoint({ closeCheckpoint: CHECKPOINT, closeCheckpointSignature: SIGNATURE })).toEqual({
      checkpoint: CHECKPOINT,
      signature: SIGNATURE,
      keyHref: '/.well-known/fairshare-signing-key',
      command: `tally verify bundle.tar --checkpoint ${CHECKPOINT}`,
    });
    expect(SIGNING_KEY_PATH).toBe('/.well-known/fairshare-signing-key');
  });

  it('is not there before, and shows only hex', () => {
    expect(closeCheckpoint({ closeCheckpoint: null, closeCheckpointSignature: null })).toBeNull();
    expect(closeCheckpoint({})).toBeNull();
    expect(closeCheckpoint({ closeCheckpoint: '' })).toBeNull();
    expect(closeCheckpoint({ closeCheckpoint: 'abc; rm -rf /' })).toBeNull();
    expect(closeCheckpoint({ closeCheckpoint: CHECKPOINT, closeCheckpointSignature: null })?.signature).toBeNull();
    expect(closeCheckpoint({ closeCheckpoint: CHECKPOINT, closeCheckpointSignature: 'not hex' })?.signature).toBeNull();
  });

  it.each([
    ['BIDS_OPEN', false, false, 'sign-in'],
    ['BID_REVIEW', true, false, 'form'],
    ['VOTING', true, false, 'form'],
    ['VOTING', true, true, 'observing'],
    ['DRAFT', true, false, 'form'],
    ['CLOSED', true, true, null],
    ['COUNTED', false, false, null],
    ['PUBLISHED', true, false, null],
    ['CANCELLED', true, false, null],
  ] as const)('in %s, signed in %s, observing %s: %s', (phase, signedIn, observing, expected) => {
    expect(observeOffer({ phase, observing }, signedIn)).toBe(expected);
  });
});

describe('the web server with the close checkpoint', () => {
  const resident = { id: '5', displayName: 'Rhian', roles: [], language: 'EN', groups: [] };
  const operations: { name: string; variables: Record<string, unknown>; token?: string }[] = [];
  let observing = false;
  const round = (id: string, phase: string, checkpoint: string | null) => ({
    id,
    title: `Round ${id}`,
    description: '',
    phase,
    phaseChangedAt: '2026-01-01T00:00:00Z',
    settingsFrozen: phase !== 'BIDS_OPEN',
    closeCheckpoint: checkpoint,
    closeCheckpointSignature: checkpoint ? SIGNATURE : null,
    observing,
    schedule: { bidsOpenAt: null, bidsCloseAt: null, votingOpensAt: null, votingClosesAt: null },
    ballot: { kind: 'APPROVAL', minChoices: null, maxChoices: null, scoreMin: null, scoreMax: null, pointsTotal: null, pointsMaxPerBid: null },
    countingRule: { name: 'greedy', tieBreak: 'COST_SUPPORT_SEED', seed: null, minSupport: null, rankPoints: null, seats: null },
    eligibility: { relations: ['LIVE'], minAge: null, methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: false },
    pots: [],
  });
  // Round 7 is voting; round 8 is published, with its checkpoint; round 9 closed, not yet published.
  const rounds: Record<string, () => ReturnType<typeof round>> = {
    '7': () => round('7', 'VOTING', null),
    '8': () => round('8', 'PUBLISHED', CHECKPOINT),
    '9': () => round('9', 'CLOSED', CHECKPOINT),
  };
  const published = {
    version: 1,
    reason: null,
    countedAt: '2026-03-01T10:00:00Z',
    publishedAt: '2026-03-02T10:00:00Z',
    provisional: false,
    bundleUrl: '/rounds/8/results/v1/bundle.tar',
    configurationSha256: 'c0ffee',
    excludedBidIds: [],
    pots: [],
  };
  const client: GraphQLClient = {
    async request(document, variables, ctx) {
      const query = document.toString();
      const name = /(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '';
      const vars = (variables ?? {}) as Record<string, unknown>;
      operations.push({ name, variables: vars, token: ctx.token });
      if (name === 'Me') return { me: ctx.token === 'tok' ? resident : null } as never;
      if (name === 'SetLanguage') return { setLanguage: { id: '5', language: 'CY' } } as never;
      if (name === 'MyReminders') return { myReminders: [] } as never;
      if (name === 'RoundPage') {
        const make = rounds[String(vars.id)];
        if (!make) throw new ApiError([{ code: 'NOT_FOUND', message: 'no such round' }]);
        return { round: { ...make(), observing: ctx.token === 'tok' && observing } } as never;
      }
      if (name === 'RoundResultPage') {
        const r = rounds[String(vars.roundId)]!();
        return { round: r, roundResult: r.phase === 'PUBLISHED' ? published : null, resultVersions: r.phase === 'PUBLISHED' ? [published] : [] } as never;
      }
      if (name === 'ResultFreshness') {
        const r = rounds[String(vars.roundId)]!();
        return { resultVersions: r.phase === 'PUBLISHED' ? [published] : [] } as never;
      }
      if (name === 'ObserveRound') {
        if (vars.email !== 'rhian@example.org') throw new ApiError([{ code: 'INVALID_INPUT', message: 'give the email address you sign in with', field: 'email' }]);
        observing = true;
        return { observeRound: { id: vars.roundId, observing } } as never;
      }
      if (name === 'StopObservingRound') {
        observing = false;
        return { stopObservingRound: { id: vars.roundId, observing } } as never;
      }
      throw new Error(`unexpected operation: ${name}`);
    },
  };
  let server: Server;
  let api: Server;
  let base: string;
  const apiRequests: string[] = [];

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // A stand-in for the API's own paths.
    api = createServer((req, res) => {
      apiRequests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ algorithm: 'Ed25519', public_key: 'ab'.repeat(32), encoding: 'hex' }));
    });
    api.listen(0);
    await new Promise((r) => api.once('listening', r));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const config = { ...loadConfig({}), secureCookies: false, forwardApi: true, apiUrl };
    server = createApp({ config, client }).listen(0);
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.close();
    api.close();
    vi.restoreAllMocks();
  });

  beforeEach(() => {
    operations.length = 0;
    observing = false;
  });

  /** A page, and the cookies and CSRF token to post its form with. */
  async function page(path: string, cookie = 'fs_session=tok') {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const html = await res.text();
    const cookies = [...res.headers.getSetCookie().map((c) => c.split(';')[0]), cookie].join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { res, html, cookies, csrf };
  }

  async function post(path: string, from: { cookies: string; csrf: string }, fields: Record<string, string> = {}) {
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: from.cookies },
      body: new URLSearchParams({ _csrf: from.csrf, ...fields }).toString(),
      redirect: 'manual',
    });
  }

  it('offers a signed-out visitor a link to sign in, and no form', async () => {
    const { res, html } = await page('/rounds/7', '');
    expect(res.status).toBe(200);
    expect(html).toContain('Get the close checkpoint by email');
    expect(html).toContain(`href="/sign-in?next=${encodeURIComponent('/rounds/7#close-checkpoint')}"`);
    expect(html).toContain('Sign in to get the close checkpoint by email');
    expect(html).not.toContain('action="/rounds/7/observe"');
    expect(html).not.toContain('id="close-checkpoint"></h2>');
  });

  it('asks a signed-in person for the address they sign in with, and refuses another', async () => {
    const form = await page('/rounds/7');
    expect(form.html).toContain('action="/rounds/7/observe"');
    expect(form.html).toContain('The address you sign in with');
    expect(form.html).toMatch(/<input[^>]+type="email"[^>]+autocomplete="email"/);

    const empty = await post('/rounds/7/observe', form);
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('govuk-error-summary');
    expect(emptyHtml).toContain('<a href="#email">Enter the email address you sign in with</a>');
    expect(operations.some((o) => o.name === 'ObserveRound')).toBe(false);

    const other = await post('/rounds/7/observe', form, { email: 'someone.else@example.org' });
    expect(other.status).toBe(400);
    const otherHtml = await other.text();
    expect(otherHtml).toContain(en.checkpoint.errorNotYours);
    expect(otherHtml).toContain('value="someone.else@example.org"');
    expect(otherHtml).toMatch(/<title>Error: Round 7/);
  });

  it('says so once you asked, with a message and “Stop”, and stops', async () => {
    const form = await page('/rounds/7');
    const ok = await post('/rounds/7/observe', form, { email: 'rhian@example.org' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/rounds/7');
    expect(operations.find((o) => o.name === 'ObserveRound')).toMatchObject({ variables: { roundId: '7', email: 'rhian@example.org' }, token: 'tok' });
    const flash = ok.headers.getSetCookie().find((c) => c.startsWith('fs_flash='))?.split(';')[0];
    expect(flash).toBe('fs_flash=checkpoint.observed');

    const after = await page('/rounds/7', `fs_session=tok; ${flash}`);
    expect(after.html).toContain('govuk-notification-banner--success');
    expect(after.html).toContain(en.checkpoint.observed);
    expect(after.html).toContain('action="/rounds/7/stop-observing"');
    expect(after.html).toContain('Stop<span class="govuk-visually-hidden"> emailing me the close checkpoint</span>');
    expect(after.html).not.toContain('action="/rounds/7/observe"');

    const stopped = await post('/rounds/7/stop-observing', after);
    expect(stopped.status).toBe(303);
    expect(stopped.headers.getSetCookie().some((c) => c.startsWith('fs_flash=checkpoint.stopped'))).toBe(true);
    expect(operations.find((o) => o.name === 'StopObservingRound')).toMatchObject({ variables: { roundId: '7' }, token: 'tok' });
    expect(observing).toBe(false);
  });

  it('sends a signed-out form to sign in first, then back to the round', async () => {
    // The round's page has no form for them: a token from another page's.
    const form = await page('/postcode', '');
    const res = await post('/rounds/7/observe', form, { email: 'rhian@example.org' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/rounds/7')}`);
    expect(operations.some((o) => o.name === 'ObserveRound')).toBe(false);
  });

  it('shows the checkpoint, its signature, the key and the command once voting has closed, in English and Welsh', async () => {
    const { html } = await page('/rounds/9');
    expect(html).toContain('<h2 class="govuk-heading-m" id="close-checkpoint">Close checkpoint</h2>');
    expect(html).toContain(`<code>${CHECKPOINT}</code>`);
    expect(html).toContain(`<code>${SIGNATURE}</code>`);
    expect(html).toContain('href="/.well-known/fairshare-signing-key"');
    expect(html).toContain(`tally verify bundle.tar --checkpoint ${CHECKPOINT}`);
    expect(html).toContain('recorded before anything was counted');
    expect(html).toContain('Once the results are published, download everything in one file');
    expect(html).not.toContain('Get the close checkpoint by email');
    // Once published, the files are there to download now.
    const published = await page('/rounds/8');
    expect(published.html).toContain('Download everything in one file from the results page, then run');
    expect(published.html).not.toContain('Once the results are published');

    const welsh = await page('/rounds/9?lang=cy');
    expect(welsh.html).toContain('Pwynt gwirio’r cau</h2>');
    expect(welsh.html).toContain(`<code>${CHECKPOINT}</code>`);
  });

  it('shows it on the results page, beside the tally verify commands', async () => {
    const { res, html } = await page('/rounds/8/results', '');
    expect(res.status).toBe(200);
    const section = html.indexOf('id="close-checkpoint"');
    const check = html.indexOf('id="check"');
    expect(section).toBeGreaterThan(0);
    expect(check).toBeGreaterThan(section);
    const command = html.indexOf(`tally verify bundle.tar --checkpoint ${CHECKPOINT}`);
    expect(command).toBeGreaterThan(check);
    expect(html.indexOf('tally verify bundle.tar --receipt')).toBeGreaterThan(command);
    expect(html).toContain('href="/.well-known/fairshare-signing-key"');

    // Before publication the results page already has the checkpoint, and no figure.
    const closed = await page('/rounds/9/results', '');
    expect(closed.html).toContain('The results are not published yet');
    expect(closed.html).toContain(`<code>${CHECKPOINT}</code>`);
  });

  it('forwards the council’s public key to the API', async () => {
    const res = await fetch(`${base}/.well-known/fairshare-signing-key`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ algorithm: 'Ed25519' });
    expect(apiRequests).toContain('/.well-known/fairshare-signing-key');
  });
});
