// Results in the web client: which paths go on to the API, receipt codes as
// people type them, and the staff round page after a failed count.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { forwardsToApi } from '../../src/http/proxy.js';
import { loadConfig } from '../../src/config.js';
import type { GraphQLClient } from '../../src/graphql/client.js';
import { normaliseReceiptCode } from '../../src/lib/receipt.js';
import { folderOf, potIdOf, versionParam } from '../../src/view-models/results.js';

describe('forwarding to the API', () => {
  it.each([
    ['/graphql', true],
    ['/health', true],
    ['/rounds/2/results/v1/bundle.tar', true],
    ['/rounds/2/results/v12/pot-3.pb', true],
    ['/rounds/2/results/v1/pot-3.result.json', true],
    ['/rounds/2/results/v1/audit.jsonl', true],
    ['/rounds/2/results', false],
    ['/rounds/2/results/', false],
    ['/rounds/2/results/v1', false],
    ['/rounds/2/results/v1/', false],
    ['/rounds/2/receipt', false],
    ['/rounds/2', false],
    ['/rounds/x/results/v1/round.json', false],
    ['/rounds/2/results/vx/round.json', false],
    ['/rounds/2/results/v1/a/b', false],
    ['/rounds/2/results/v1/..', false],
    ['/officer/rounds/2/results/v1/pot-3.csv', false],
    ['/phone/sms', true],
    ['/phone/voice', true],
    ['/phone', false],
    ['/.well-known/fairshare-signing-key', true],
    ['/.well-known/fairshare-signing-key/', false],
    ['/.well-known/other', false],
    ['/.well-known/', false],
    // The latest version with the log as it stands, and the photos of delivery updates.
    ['/rounds/2/results/latest/bundle.tar', true],
    ['/rounds/2/results/latest/audit.jsonl', true],
    ['/rounds/2/results/latest', false],
    ['/rounds/2/results/newest/bundle.tar', false],
    ['/delivery/photos/12.jpg', true],
    ['/delivery/photos/12.png', true],
    ['/delivery/photos/', false],
    ['/delivery/photos/a/b.jpg', false],
    ['/delivery/photos/..', false],
    ['/rounds/2/delivery', false],
    ['/rounds/2/delivery.atom', false],
  ])('%s → %s', (path, expected) => {
    expect(forwardsToApi(path)).toBe(expected);
  });
});

describe('receipt codes', () => {
  it.each([
    ['7K3M-9QXD-2RTF-HJ4W', '7K3M-9QXD-2RTF-HJ4W'],
    [' 7k3m 9qxd 2rtf hj4w ', '7K3M-9QXD-2RTF-HJ4W'],
    ['7K3M9QXD2RTFHJ4W', '7K3M-9QXD-2RTF-HJ4W'],
    ['OIL0-0000-0000-0000', '0110-0000-0000-0000'],
    ['7K3M-9QXD-2RTF-HJ4', null],
    ['7K3M-9QXD-2RTF-HJ4WX', null],
    ['7K3M-9QXD-2RTF-HJ4U', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(normaliseReceiptCode(input)).toBe(expected);
  });
});

describe('result addresses', () => {
  it('finds the folder, the pot and the version', () => {
    expect(folderOf('/rounds/2/results/v1/bundle.tar')).toBe('/rounds/2/results/v1/');
    expect(potIdOf('/rounds/2/results/v1/pot-14.pb')).toBe('14');
    expect(potIdOf('/rounds/2/results/v1/round.json')).toBeNull();
    expect(versionParam(undefined)).toBeNull();
    expect(versionParam('3')).toBe(3);
    expect(versionParam('0')).toBeUndefined();
    expect(versionParam('1e3')).toBeUndefined();
    expect(versionParam(['1', '2'])).toBeUndefined();
  });
});

describe('the web server with results', () => {
  const operations: { name: string; variables: unknown; token?: string }[] = [];
  const officer = { id: '9', displayName: 'Olive Officer', roles: ['OFFICER'], groups: [] };
  const round = {
    id: '7',
    title: 'Winter Lights 2026',
    description: '',
    phase: 'CLOSED',
    phaseChangedAt: '2026-01-01T00:00:00Z',
    settingsFrozen: true,
    schedule: { bidsOpenAt: null, bidsCloseAt: null, votingOpensAt: null, votingClosesAt: null },
    ballot: { kind: 'APPROVAL', minChoices: null, maxChoices: null, scoreMin: null, scoreMax: null, pointsTotal: null, pointsMaxPerBid: null },
    countingRule: { name: 'greedy', tieBreak: 'COST_SUPPORT_SEED', seed: null, minSupport: null, rankPoints: null, seats: null },
    eligibility: { relations: ['LIVE'], minAge: null, methods: ['POSTCODE'], postcodeAloneEnough: true, acceptLowAssurance: false },
    pots: [],
  };
  const client: GraphQLClient = {
    async request(document, variables, ctx) {
      const query = document.toString();
      const name = /(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '';
      operations.push({ name, variables, token: ctx.token });
      if (name === 'Me') return { me: ctx.token ? officer : null } as never;
      if (name === 'RoundPage') return { round } as never;
      if (name === 'StaffRoundResult') return { round: { id: '7', countError: 'ballot 12 names bid 99, which is not on the ballot' }, roundResult: null, resultVersions: [] } as never;
      if (name === 'CountRound') return { countRound: { id: '7', phase: 'COUNTED' } } as never;
      if (name === 'RoundParticipationShown') return { round: { id: '7', participation: { voters: 0 } } } as never;
      throw new Error(`unexpected operation: ${name}`);
    },
  };
  let server: Server;
  let api: Server;
  let base: string;
  const apiRequests: string[] = [];

  beforeAll(async () => {
    // The request log goes to stdout; keep the test output quiet.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // A stand-in for the API's plain downloads.
    api = createServer((req, res) => {
      apiRequests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"from":"the API"}');
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

  it('forwards a result file to the API', async () => {
    const res = await fetch(`${base}/rounds/2/results/v1/round.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: 'the API' });
    expect(apiRequests).toContain('/rounds/2/results/v1/round.json');
  });

  it('shows officers why a count failed, and counts again with their session', async () => {
    const page = await fetch(`${base}/officer/rounds/7`, { headers: { cookie: 'fs_session=tok' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('The count failed');
    expect(html).toContain('ballot 12 names bid 99, which is not on the ballot');
    expect(html).toContain('Count again');
    // Who took part, once voting has opened.
    expect(html).toContain('<a class="govuk-link" href="/officer/rounds/7/participation">Who took part</a>');
    const cookies = [...page.headers.getSetCookie().map((c) => c.split(';')[0]), 'fs_session=tok'].join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const res = await fetch(`${base}/officer/rounds/7/count`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: new URLSearchParams({ _csrf: token }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/officer/rounds/7');
    expect(operations.find((o) => o.name === 'CountRound')).toMatchObject({ variables: { roundId: '7' }, token: 'tok' });
  });
});
