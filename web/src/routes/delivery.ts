// What happened to the money, for anyone once a round's result is
// published: /rounds/ROUND/delivery (every funded bid's status, money,
// milestones and latest public update, for the round or one area:
// ?area=ID) and its Atom feed of public updates,
// /rounds/ROUND/delivery.atom (Welsh with ?lang=cy). Like the results page
// they are public and kept a minute by any cache, then revalidated with
// their ETag (http/cache.ts). The photos are the API's, at
// /delivery/photos/ID.jpg: see `forwardsToApi` in http/proxy.ts, and
// `photoRoutes` below for a web client that does not forward.
import { Router, type Request, type Response } from 'express';
import { Feed } from 'feed';
import type { Config } from '../config.js';
import { ApiError } from '../graphql/client.js';
import { DeliveryFeedDocument, RoundDeliveryPageDocument, type RoundDeliveryPageQuery } from '../graphql/generated/graphql.js';
import { dictionaries, fmt, type Lang } from '../i18n/index.js';
import { lastPublished, publicPage } from '../http/cache.js';
import { DELIVERY_PHOTO } from '../http/proxy.js';
import { ctx } from '../http/request.js';
import { escapeHtml, written } from '../lib/welsh.js';
import { areaLinks, areaParam, deliveryView, paragraphs, totalsView, updateDate } from '../view-models/delivery.js';

/** The address a visitor used, for the feed's links. */
function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function notFound(res: Response) {
  const t = res.locals.t;
  res.status(404).render('pages/error', { title: t.errors.notFoundTitle, text: t.errors.notFoundText });
}

/** The API's answer, or undefined when it says there is no such round (or area). */
async function orNotFound<T>(ask: Promise<T>): Promise<T | undefined> {
  try {
    return await ask;
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'NOT_FOUND' || e.code === 'INVALID_INPUT')) return undefined;
    throw e;
  }
}

/** The feed's address for a page in `lang`: its language is in the address only. */
export function feedHref(roundId: string, lang: Lang): string {
  return `/rounds/${roundId}/delivery.atom${lang === 'cy' ? '?lang=cy' : ''}`;
}

export function deliveryRoutes(config: Config) {
  const r = Router();

  r.get('/rounds/:id/delivery', async (req, res) => {
    const t = res.locals.t;
    const roundId = String(req.params.id);
    const asked = req.query.area;
    // A malformed area is no page; one of another round's areas is refused below.
    if (asked !== undefined && (typeof asked !== 'string' || !/^\d{1,18}$/.test(asked))) {
      notFound(res);
      return;
    }
    const data: RoundDeliveryPageQuery | undefined = await orNotFound(req.api.request(RoundDeliveryPageDocument, { roundId, areaId: asked || null }, ctx(req)));
    if (!data) {
      notFound(res);
      return;
    }
    const { round, roundDelivery } = data;
    const area = areaParam(asked, round.pots.map((p) => p.area.id));
    if (area === undefined) {
      notFound(res);
      return;
    }
    // Before publication there is nothing to show: the page says when there will be.
    if (round.phase !== 'PUBLISHED') {
      res.render('pages/delivery-none', { pageTitle: t.delivery.noneTitle, round, backLink: `/rounds/${round.id}` });
      return;
    }
    // Published: public, kept a minute by any cache, then checked again with its ETag (a hash of the page).
    publicPage(req, res, 'published');
    const shownArea = round.pots.find((p) => p.area.id === area)?.area ?? null;
    res.render('pages/delivery', {
      pageTitle: `${t.delivery.title}: ${written(round, 'title', req.lang)}${shownArea ? ` (${written(shownArea, 'name', req.lang)})` : ''}`,
      round,
      area: shownArea,
      areaLinks: round.pots.length > 1 ? areaLinks(round.id, round.pots, area) : [],
      showAreas: round.pots.length > 1 && !shownArea,
      totals: totalsView(roundDelivery.totals, t, req.lang),
      deliveries: roundDelivery.deliveries.map((d) => deliveryView(d, t, req.lang)),
      feedHref: feedHref(round.id, req.lang),
      backLink: `/rounds/${round.id}/results`,
    });
  });

  // The feed: the round's public updates, newest first, each linking to its bid's page.
  r.get('/rounds/:id/delivery.atom', async (req, res) => {
    const lang: Lang = req.query.lang === 'cy' ? 'cy' : 'en';
    const t = dictionaries[lang];
    const roundId = String(req.params.id);
    const data = await orNotFound(req.api.request(DeliveryFeedDocument, { roundId }, ctx(req)));
    if (!data || data.round.phase !== 'PUBLISHED') {
      res.status(404).type('text/plain').send(`${t.errors.notFoundTitle}\n`);
      return;
    }
    const base = origin(req);
    const suffix = lang === 'cy' ? '?lang=cy' : '';
    const roundTitle = written(data.round, 'title', lang);
    const entries = data.deliveryUpdates;
    const newest = entries[0] ? new Date(updateDate({ ...entries[0], state: 'APPROVED' })) : lastPublished(data.resultVersions);
    const feed = new Feed({
      id: `${base}/rounds/${data.round.id}/delivery`,
      title: fmt(t.delivery.feedTitle, { round: roundTitle }),
      description: fmt(t.delivery.feedSubtitle, { round: roundTitle }),
      link: `${base}/rounds/${data.round.id}/delivery${suffix}`,
      language: lang,
      updated: newest ?? new Date(0),
      generator: 'Fairshare',
      author: { name: lang === 'cy' ? config.councilNameCy : config.councilName, link: `${base}/` },
      feedLinks: { atom: `${base}${feedHref(data.round.id, lang)}` },
    });
    for (const u of entries) {
      const bidTitle = written(u.bid, 'title', lang);
      const link = `${base}/bids/${u.bid.id}${suffix}#update-${u.id}`;
      // The feed's titles, summaries and content are HTML: everything a group wrote is escaped.
      const photos = u.photos
        .map((p) => `<p><img src="${escapeHtml(base + p.url)}" alt="${escapeHtml(p.altText)}" width="${p.width}" height="${p.height}"></p>`)
        .join('');
      feed.addItem({
        id: `${base}/bids/${u.bid.id}#update-${u.id}`,
        title: escapeHtml(fmt(t.delivery.feedEntryTitle, { title: bidTitle })),
        link,
        date: new Date(updateDate({ ...u, state: 'APPROVED' })),
        published: new Date(updateDate({ ...u, state: 'APPROVED' })),
        description: escapeHtml(u.body),
        content: paragraphs(u.body).map((p) => `<p>${escapeHtml(p)}</p>`).join('') + photos,
      });
    }
    publicPage(req, res, 'published');
    res.type('application/atom+xml').send(feed.atom1());
  });

  return r;
}

/**
 * The photos of delivery updates at the site's own address when the web
 * client does not forward to the API (with FAIRSHARE_WEB_FORWARD_API on,
 * http/proxy.ts sends them on before this): fetched from the API with the
 * visitor's session, so that a photo waiting for approval shows to its
 * group and to staff, and answered with the API's type and cache headers
 * (public for good once approved, `private, no-store` before).
 */
export function photoRoutes(config: Config) {
  const r = Router();
  r.get('/delivery/photos/:file', async (req, res) => {
    if (!DELIVERY_PHOTO.test(req.path)) {
      notFound(res);
      return;
    }
    const headers: Record<string, string> = {};
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (req.ip) headers['x-forwarded-for'] = req.ip;
    const etag = req.get('if-none-match');
    if (etag) headers['if-none-match'] = etag;
    const upstream = await fetch(`${config.apiUrl}${req.path}`, { headers, signal: AbortSignal.timeout(30_000) });
    if (upstream.status !== 200 && upstream.status !== 304) {
      notFound(res);
      return;
    }
    res.status(upstream.status);
    for (const name of ['content-type', 'cache-control', 'etag', 'x-content-type-options']) {
      const value = upstream.headers.get(name);
      if (value) res.set(name, value);
    }
    if (upstream.status === 304) {
      res.end();
      return;
    }
    res.send(Buffer.from(await upstream.arrayBuffer()));
  });
  return r;
}
