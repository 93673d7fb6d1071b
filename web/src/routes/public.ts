// What anyone can see: the start page, finding your area by postcode, the
// rounds' bids. A round's own page is in round.ts.
import { Router } from 'express';
import type { Config } from '../config.js';
import { publicPage } from '../http/cache.js';
import { ctx } from '../http/request.js';
import { AreaCoverageMoreDocument, AreaRoundsDocument, AreasCoverageDocument, BidPageDocument, RoundBidsDocument, StartPageDocument } from '../graphql/generated/graphql.js';
import { allPages } from '../graphql/pages.js';
import type { Request } from 'express';
import { parsePostcode } from '../forms/residents.js';
import { areasForPostcode } from '../lib/postcode.js';
import { fmt } from '../i18n/index.js';
import { bidStatusText, timetable } from '../view-models/timetable.js';
import { written } from '../lib/welsh.js';
import { deliveryView } from '../view-models/delivery.js';

/** The demo's accounts, seeded by `fairshare demo` (api/src/demo.rs). */
export const DEMO_ACCOUNTS: { email: string; role: string }[] = [
  { email: 'resident@demo.fairshare.localhost', role: 'Resident, can vote in Summer Streets 2026 (Hyde Park and Woodhouse)' },
  { email: 'neighbour@demo.fairshare.localhost', role: 'Resident, can vote in Summer Streets 2026 (Chapel Allerton)' },
  { email: 'newcomer@demo.fairshare.localhost', role: 'Resident, not yet verified' },
  { email: 'chair@woodhouse-moor-friends.demo.fairshare.localhost', role: 'Chair of the demo community groups' },
  { email: 'officer@demo.fairshare.localhost', role: 'Officer' },
  { email: 'councillor@demo.fairshare.localhost', role: 'Councillor' },
  { email: 'admin@demo.fairshare.localhost', role: 'Administrator' },
];

/** Every area with everything it covers, to find a postcode's area. */
async function areasWithCoverage(req: Request) {
  const areas = await allPages(async (after) => (await req.api.request(AreasCoverageDocument, { after }, ctx(req))).areas);
  return Promise.all(
    areas.map(async (a) => {
      const coverage = [...a.coverage.nodes];
      if (a.coverage.pageInfo.hasNextPage && a.coverage.pageInfo.endCursor) {
        const rest = await allPages(
          async (after) => (await req.api.request(AreaCoverageMoreDocument, { id: a.id, after }, ctx(req))).area.coverage,
          a.coverage.pageInfo.endCursor,
        );
        coverage.push(...rest);
      }
      return { id: a.id, name: a.name, coverage };
    }),
  );
}

/**
 * The start page's rounds: every round open for voting first, however
 * many newer rounds there are, then the most recent of the others; never
 * a draft.
 */
export function startPageRounds<R extends { id: string; phase: string }>(voting: R[], recent: R[]): R[] {
  const open = new Set(voting.map((r) => r.id));
  return [...voting, ...recent.filter((r) => !open.has(r.id) && r.phase !== 'DRAFT')];
}

export function publicRoutes(config: Config) {
  const r = Router();

  r.get('/', async (req, res) => {
    const { voting, rounds: recent } = await req.api.request(StartPageDocument, {}, ctx(req));
    const rounds = startPageRounds(voting.nodes, recent.nodes);
    publicPage(req, res, 'public');
    res.render('pages/start', {
      pageTitle: res.locals.t.start.title,
      rounds,
      demoAccounts: config.demo ? DEMO_ACCOUNTS : [],
    });
  });

  r.get('/postcode', (req, res) => {
    res.render('pages/postcode', { pageTitle: res.locals.t.postcode.title, backLink: '/', values: {} });
  });

  r.post('/postcode', async (req, res) => {
    const t = res.locals.t;
    const { values, errors, postcode } = parsePostcode(req.body, t);
    let matches: { id: string; name: string }[] = [];
    if (postcode) {
      matches = areasForPostcode(postcode, await areasWithCoverage(req));
      if (matches.length === 0) errors.add('postcode', fmt(t.postcode.errorNoArea, { postcode }));
    }
    if (errors.any || !matches[0]) {
      res.status(400).render('pages/postcode', { pageTitle: t.postcode.title, backLink: '/', errors, values });
      return;
    }
    // The postcode is not kept: the next page's address names only the area.
    res.redirect(303, `/areas/${encodeURIComponent(matches[0].id)}`);
  });

  r.get('/areas/:id', async (req, res) => {
    const areaId = String(req.params.id);
    const data = await req.api.request(AreaRoundsDocument, { areaId }, ctx(req));
    const all = await allPages(async (after) =>
      after ? (await req.api.request(AreaRoundsDocument, { areaId, after }, ctx(req))).rounds : data.rounds,
    );
    const rounds = all
      .filter((round) => round.phase !== 'DRAFT')
      .map((round) => ({ ...round, pot: round.pots.find((p) => p.area.id === data.area.id), tt: timetable(res.locals.t, req.lang, round) }))
      .filter((round) => round.pot);
    publicPage(req, res, 'public');
    res.render('pages/area', { pageTitle: written(data.area, 'name', req.lang), area: data.area, rounds, backLink: '/postcode' });
  });

  r.get('/rounds/:id/areas/:areaId', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const category = typeof req.query.category === 'string' ? req.query.category : '';
    const after = typeof req.query.after === 'string' && req.query.after ? req.query.after : null;
    const data = await req.api.request(
      RoundBidsDocument,
      { id: String(req.params.id), areaId: String(req.params.areaId), category: category || null, search: q || null, after },
      ctx(req),
    );
    const pot = data.round.pots.find((p) => p.area.id === req.params.areaId);
    if (!pot) {
      res.status(404).render('pages/error', { title: res.locals.t.errors.notFoundTitle, text: res.locals.t.errors.notFoundText });
      return;
    }
    const page = data.round.bids;
    const from = after ? Number(after) + 2 : 1;
    const query = (extra: Record<string, string>) => {
      const u = new URLSearchParams({ ...(q ? { q } : {}), ...(category ? { category } : {}), ...extra });
      const text = u.toString();
      return `/rounds/${data.round.id}/areas/${pot.area.id}${text ? `?${text}` : ''}`;
    };
    publicPage(req, res, 'public');
    const tt = timetable(res.locals.t, req.lang, data.round);
    res.render('pages/bids', {
      pageTitle: fmt(res.locals.t.bids.title, { area: pot.area.name }),
      round: data.round,
      tt,
      pot,
      bids: page.nodes.map((b) => ({ ...b, statusText: bidStatusText(res.locals.t, b.status, tt.phase) })),
      // The whole list is known only on a single page; otherwise say which ones are shown.
      complete: !after && !page.pageInfo.hasNextPage,
      showing: { from, to: from + page.nodes.length - 1 },
      nextHref: page.pageInfo.hasNextPage && page.pageInfo.endCursor ? query({ after: page.pageInfo.endCursor }) : null,
      firstHref: after ? query({}) : null,
      categories: data.bidCategories,
      q,
      category,
      backLink: `/areas/${pot.area.id}`,
    });
  });

  r.get('/bids/:id', async (req, res) => {
    const { bid } = await req.api.request(BidPageDocument, { id: req.params.id }, ctx(req));
    const member = req.me?.groups.some((g) => g.id === bid.group.id) ?? false;
    publicPage(req, res, 'public');
    const tt = timetable(res.locals.t, req.lang, bid.round);
    res.render('pages/bid', {
      pageTitle: written(bid, 'title', req.lang),
      bid,
      tt,
      statusText: bidStatusText(res.locals.t, bid.status, tt.phase),
      // Funded and published: what happened after the vote, with the public updates only.
      delivery: bid.delivery ? deliveryView(bid.delivery, res.locals.t, req.lang) : null,
      member,
      backLink: `/rounds/${bid.round.id}/areas/${bid.area.id}`,
    });
  });

  return r;
}
