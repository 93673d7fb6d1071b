// Results on the staff pages: counting again after a failed count,
// publishing the provisional result after a confirmation page (councillors),
// corrections with a reason and bids to leave out, and each pot's result
// as CSV for council reports.
import { Router, type Request, type Response } from 'express';
import { CorrectResultDocument, CountRoundDocument, PotCsvDocument, PublishResultDocument, RoundResultPageDocument } from '../../graphql/generated/graphql.js';
import { addApiError, refusal } from '../../forms/api-error.js';
import { correctionFieldOf, parseCorrection } from '../../forms/results.js';
import { setFlash } from '../../lib/flash.js';
import { FormErrors } from '../../lib/forms.js';
import { formStatus, renderStaff } from '../../http/render.js';
import { ctx, requireCouncillor, requireOfficer } from '../../http/request.js';
import { potIdOf, resultView, versionParam } from '../../view-models/results.js';

const loadStaffResult = (req: Request) => req.api.request(RoundResultPageDocument, { roundId: String(req.params.id), version: null }, ctx(req));

function notFound(res: Response) {
  const t = res.locals.t;
  res.status(404).render('pages/error', { title: t.errors.notFoundTitle, text: t.errors.notFoundText });
}

async function correctionPage(req: Request, res: Response, values: { reason?: string; exclude?: string[] }, errors?: FormErrors) {
  const data = await loadStaffResult(req);
  if (!data.roundResult || data.roundResult.provisional) {
    res.redirect(303, `/officer/rounds/${data.round.id}`);
    return;
  }
  renderStaff(
    res,
    'staff/correct',
    { pageTitle: 'Publish a correction', round: data.round, ...resultView(data.roundResult), values: { reason: '', exclude: [], ...values }, errors, backLink: `/officer/rounds/${data.round.id}` },
    formStatus(errors),
  );
}

export function staffResultRoutes() {
  const r = Router();

  r.use('/officer/rounds/:id/count', requireOfficer);
  r.post('/officer/rounds/:id/count', async (req, res) => {
    const roundId = String(req.params.id);
    try {
      await req.api.request(CountRoundDocument, { roundId }, ctx(req));
      setFlash(res, 'officer.counted');
    } catch (e) {
      // A count that fails again keeps its reason on the round, which the round page shows.
      refusal(e, { rethrow: ['INTERNAL', 'UNAUTHENTICATED', 'NOT_AUTHORISED', 'NOT_FOUND'] });
      setFlash(res, 'officer.countFailed');
    }
    res.redirect(303, `/officer/rounds/${roundId}`);
  });

  r.use('/officer/rounds/:id/publish', requireCouncillor);
  r.get('/officer/rounds/:id/publish', async (req, res) => {
    const data = await loadStaffResult(req);
    if (!data.roundResult?.provisional) {
      res.redirect(303, `/officer/rounds/${data.round.id}`);
      return;
    }
    renderStaff(res, 'staff/publish', { pageTitle: 'Are you sure you want to publish the result?', round: data.round, ...resultView(data.roundResult), backLink: `/officer/rounds/${data.round.id}` });
  });
  r.post('/officer/rounds/:id/publish', async (req, res) => {
    const roundId = String(req.params.id);
    try {
      await req.api.request(PublishResultDocument, { roundId }, ctx(req));
    } catch (e) {
      const errors = addApiError(new FormErrors(), e, { field: 'publish', rethrow: ['INTERNAL', 'NOT_AUTHORISED'], text: (err) => err.message });
      const data = await loadStaffResult(req);
      renderStaff(res, 'staff/publish', { pageTitle: 'Are you sure you want to publish the result?', round: data.round, ...(data.roundResult ? resultView(data.roundResult) : {}), errors, backLink: `/officer/rounds/${roundId}` }, 400);
      return;
    }
    setFlash(res, 'officer.published');
    res.redirect(303, `/officer/rounds/${roundId}`);
  });

  r.use('/officer/rounds/:id/correct', requireCouncillor);
  r.get('/officer/rounds/:id/correct', (req, res) => correctionPage(req, res, {}));
  r.post('/officer/rounds/:id/correct', async (req, res) => {
    const roundId = String(req.params.id);
    const { values, errors, input } = parseCorrection(req.body);
    if (input) {
      try {
        const { correctResult } = await req.api.request(CorrectResultDocument, { roundId, ...input }, ctx(req));
        setFlash(res, 'officer.corrected');
        res.redirect(303, `/officer/rounds/${roundId}#version-${correctResult}`);
        return;
      } catch (e) {
        addApiError(errors, e, { field: 'reason', fieldOf: correctionFieldOf, every: true, rethrow: ['INTERNAL', 'NOT_AUTHORISED'] });
      }
    }
    await correctionPage(req, res, values, errors);
  });

  // Each pot's result as CSV: officers and councillors, through GraphQL with their session.
  r.use('/officer/rounds/:id/results', requireOfficer);
  r.get('/officer/rounds/:id/results/v:version/pot-:pot.csv', async (req, res) => {
    const version = versionParam(req.params.version);
    if (!version) {
      notFound(res);
      return;
    }
    const roundId = String(req.params.id);
    const { roundResult } = await req.api.request(PotCsvDocument, { roundId, version }, ctx(req));
    const pot = roundResult?.pots.find((p) => potIdOf(p.ballotsUrl) === req.params.pot);
    if (!pot?.csv) {
      notFound(res);
      return;
    }
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Cache-Control', 'private, no-store')
      .attachment(`round-${roundId}-v${version}-pot-${req.params.pot}.csv`)
      .send(pot.csv);
  });

  return r;
}
