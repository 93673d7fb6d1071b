// Who took part in a round, for anyone once its result is published: the
// same figures as the staff dashboard (views/partials/participation.njk),
// without the staff links. Before publication the page says when it will
// be there. Like the results page, a published page is public, kept a
// minute by any cache, and answered with a 304 from its publication time
// before anything else is fetched or rendered (http/cache.ts).
import { Router } from 'express';
import { ResultFreshnessDocument, RoundParticipationDocument } from '../graphql/generated/graphql.js';
import { lastPublished, noStore, publicPage, publishedPageEtag, sharedCacheable } from '../http/cache.js';
import { BUILD_ID } from '../http/build-id.js';
import { ctx } from '../http/request.js';
import { written } from '../lib/welsh.js';
import { participationView } from '../view-models/participation.js';

export function participationPublicRoutes() {
  const r = Router();

  r.get('/rounds/:id/participation', async (req, res) => {
    const t = res.locals.t;
    const roundId = String(req.params.id);
    // A published page's validator, from when its result was last published (a correction changes it).
    const { resultVersions } = await req.api.request(ResultFreshnessDocument, { roundId }, ctx(req));
    const lastModified = lastPublished(resultVersions);
    if (lastModified) {
      publicPage(req, res, 'published', lastModified);
      if (sharedCacheable(res.getHeader('cache-control'))) {
        res.set('ETag', publishedPageEtag({ page: `participation-${roundId}`, version: null, lang: req.lang, lastModified, build: BUILD_ID }));
        if (req.fresh) {
          res.status(304).end();
          return;
        }
      }
    }
    const { round } = await req.api.request(RoundParticipationDocument, { roundId }, ctx(req));
    // Before publication the public page says so, even to staff: their figures are on the staff pages.
    if (round.phase !== 'PUBLISHED' || !round.participation) {
      noStore(res);
      res.render('pages/participation-none', { pageTitle: t.participation.notPublishedTitle, round, backLink: `/rounds/${round.id}` });
      return;
    }
    res.render('pages/participation', {
      pageTitle: `${t.participation.publicTitle}: ${written(round, 'title', req.lang)}`,
      round,
      view: participationView(round.participation, t),
      staffLinks: false,
      columnClass: 'govuk-grid-column-full',
      backLink: `/rounds/${round.id}/results`,
    });
  });

  return r;
}
