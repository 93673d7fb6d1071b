// Who is taking part in a round (officers and councillors, from the
// opening of voting): the dashboard of participation against the
// population, and while voting is open the outreach list of the groups
// furthest below their share. Counts of people, never what anyone chose.
// In the page's language: every word is in the dictionaries' `participation`.
import { Router, type Response } from 'express';
import { RoundOutreachDocument, RoundParticipationDocument } from '../../graphql/generated/graphql.js';
import { fmt, type Dictionary, type Lang } from '../../i18n/index.js';
import { renderStaffPage } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { written } from '../../lib/welsh.js';
import { outreachRows, participationView } from '../../view-models/participation.js';

function words(res: Response): Dictionary {
  return res.locals.t as Dictionary;
}

/** Nothing to show (before voting opens, or to someone who may not see it): no such page. */
function notYet(res: Response) {
  const t = words(res);
  res.status(404).render('pages/error', { title: t.errors.notFoundTitle, text: t.errors.notFoundText });
}

export function participationRoutes() {
  const r = Router();

  r.get('/officer/rounds/:id/participation', async (req, res) => {
    const t = words(res);
    const { round } = await req.api.request(RoundParticipationDocument, { roundId: String(req.params.id) }, ctx(req));
    if (!round.participation) {
      notYet(res);
      return;
    }
    const title = round.phase === 'VOTING' ? t.participation.staffTitle : t.participation.publicTitle;
    renderStaffPage(res, 'staff/participation', {
      pageTitle: `${title}: ${written(round, 'title', req.lang as Lang)}`,
      heading: title,
      round,
      view: participationView(round.participation, t),
      staffLinks: true,
      columnClass: 'govuk-grid-column-full',
      backLink: `/officer/rounds/${round.id}`,
    });
  });

  r.get('/officer/rounds/:id/outreach', async (req, res) => {
    const t = words(res);
    const { round } = await req.api.request(RoundOutreachDocument, { roundId: String(req.params.id) }, ctx(req));
    const p = round.participation;
    renderStaffPage(res, 'staff/outreach', {
      pageTitle: `${t.participation.outreachTitle}: ${written(round, 'title', req.lang as Lang)}`,
      round,
      voting: round.phase === 'VOTING',
      privacyNote: p ? fmt(t.participation.privacyNote, { count: p.smallestGroupShown }) : null,
      rows: outreachRows(round.outreach, p?.fromAge ?? 0, p?.smallestGroupShown ?? 10, t),
      columnClass: 'govuk-grid-column-full',
      backLink: `/officer/rounds/${round.id}`,
    });
  });

  return r;
}
