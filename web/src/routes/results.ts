// Results: the published result of a round, every version of it, and
// checking a receipt, for anyone; for staff, the provisional result,
// publishing it, corrections, counting again after a failed count, and each
// pot's result as CSV. The files themselves (bundle.tar, pot-N.pb…) are the
// API's, at /rounds/ROUND/results/vN/FILE: see `forwardsToApi` in http/proxy.ts.
import { Router, type Request, type Response } from 'express';
import { ctx, requireCouncillor, requireOfficer } from '../app.js';
import { ApiError } from '../graphql/client.js';
import {
  CorrectResultDocument,
  CountRoundDocument,
  PotCsvDocument,
  PublishResultDocument,
  ReceiptProofDocument,
  ReceiptRoundDocument,
  RoundResultPageDocument,
  StaffRoundResultDocument,
  type RoundResultFieldsFragment,
} from '../graphql/generated/graphql.js';
import { apiLanguage, dictionaries } from '../i18n/index.js';
import { setFlash } from '../lib/flash.js';
import { FormErrors, str, strs } from '../lib/forms.js';
import { normaliseReceiptCode } from '../lib/receipt.js';

/** The files of a published version, besides each pot's, in the order the page lists them. */
export const BUNDLE_FILES = ['round.json', 'config.json', 'commitments.txt', 'audit.jsonl'] as const;

/** `/rounds/2/results/v1/bundle.tar` → `/rounds/2/results/v1/`. */
export function folderOf(url: string): string {
  return url.slice(0, url.lastIndexOf('/') + 1);
}

/** `/rounds/2/results/v1/pot-3.pb` → `3`. */
export function potIdOf(ballotsUrl: string): string | null {
  return /\/pot-(\d+)\.pb$/.exec(ballotsUrl)?.[1] ?? null;
}

/** `?version=2` → 2; absent → null; anything else → undefined (no such page). */
export function versionParam(q: unknown): number | null | undefined {
  if (q === undefined || q === '') return null;
  if (typeof q !== 'string' || !/^[1-9]\d{0,5}$/.test(q)) return undefined;
  return Number(q);
}

/** The address a visitor used, for the commands they copy. */
function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function notFound(res: Response) {
  const t = res.locals.t;
  res.status(404).render('pages/error', { title: t.errors.notFoundTitle, text: t.errors.notFoundText });
}

/** What a results page needs besides the result: the files and the versions. */
function resultView(result: RoundResultFieldsFragment) {
  const folder = result.bundleUrl ? folderOf(result.bundleUrl) : null;
  return {
    result,
    files: folder ? BUNDLE_FILES.map((name) => ({ name, href: folder + name })) : [],
    resultPots: result.pots.map((p) => ({ ...p, potId: potIdOf(p.ballotsUrl) })),
  };
}

function staff(res: Response, view: string, locals: Record<string, unknown>, status = 200) {
  res.status(status).render(view, { mainLang: 'en', navSection: 'officer', en: dictionaries.en, ...locals });
}

/** The staff round page's result section: the count's state and what this person may do with it. */
export async function staffResultLocals(req: Request, roundId: string, phase: string) {
  if (!['CLOSED', 'COUNTED', 'PUBLISHED'].includes(phase)) return {};
  const data = await req.api.request(StaffRoundResultDocument, { roundId }, ctx(req));
  return {
    countError: data.round.countError ?? null,
    versions: data.resultVersions,
    ...(data.roundResult ? resultView(data.roundResult) : {}),
  };
}

export function resultRoutes() {
  const r = Router();

  r.get('/rounds/:id/results', async (req, res) => {
    const t = res.locals.t;
    const version = versionParam(req.query.version);
    if (version === undefined) {
      notFound(res);
      return;
    }
    const roundId = String(req.params.id);
    const data = await req.api.request(RoundResultPageDocument, { roundId, version, language: apiLanguage(req.lang) }, ctx(req));
    const result = data.roundResult;
    // Before publication the public page says so, even to a councillor: their provisional figures are on the staff pages.
    if (!result || result.provisional) {
      if (version !== null && data.round.phase === 'PUBLISHED') {
        notFound(res);
        return;
      }
      res.render('pages/results-none', { pageTitle: t.results.noneTitle, round: data.round, backLink: `/rounds/${data.round.id}` });
      return;
    }
    const published = data.resultVersions.filter((v) => v.publishedAt).sort((a, b) => b.version - a.version);
    const latest = published[0]?.version ?? result.version;
    res.render('pages/results', {
      pageTitle: `${t.results.title}: ${data.round.title}`,
      round: data.round,
      ...resultView(result),
      versions: published,
      latest,
      isLatest: result.version === latest,
      origin: origin(req),
      backLink: `/rounds/${data.round.id}`,
    });
  });

  // Checking a receipt: is the ballot with this code in the published count?
  const receiptRound = async (req: Request) => (await req.api.request(ReceiptRoundDocument, { roundId: String(req.params.id) }, ctx(req))).round;
  const receiptPage = async (req: Request, res: Response, locals: Record<string, unknown> = {}, status = 200) => {
    const t = res.locals.t;
    const round = await receiptRound(req);
    res.status(status).render('pages/receipt-check', {
      pageTitle: t.receipt.title,
      round,
      values: {},
      backLink: round.phase === 'PUBLISHED' ? `/rounds/${round.id}/results` : `/rounds/${round.id}`,
      ...locals,
    });
  };
  r.get('/rounds/:id/receipt', (req, res) => receiptPage(req, res));
  r.post('/rounds/:id/receipt', async (req, res) => {
    const t = res.locals.t;
    const raw = str(req.body, 'code');
    const errors = new FormErrors();
    const code = normaliseReceiptCode(raw);
    // Before publication there is nothing to check against: the page says so.
    if ((await receiptRound(req)).phase !== 'PUBLISHED') {
      await receiptPage(req, res);
      return;
    }
    if (!raw) errors.add('code', t.receipt.errorEmpty);
    else if (!code) errors.add('code', t.receipt.errorFormat);
    let proof = null;
    if (code) {
      try {
        proof = (await req.api.request(ReceiptProofDocument, { roundId: String(req.params.id), code }, ctx(req))).receiptProof ?? null;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 'INVALID_INPUT') throw e;
        errors.add('code', t.receipt.errorFormat);
      }
      if (!proof && !errors.any) errors.add('code', t.receipt.errorUnknown);
    }
    if (errors.any || !proof) {
      await receiptPage(req, res, { errors, values: { code: raw } }, 400);
      return;
    }
    await receiptPage(req, res, { proof, values: { code: proof.code } });
  });

  // Staff: the provisional result, publishing, corrections, counting again, CSV.
  r.use('/officer/rounds/:id/count', requireOfficer);
  r.post('/officer/rounds/:id/count', async (req, res) => {
    const roundId = String(req.params.id);
    try {
      await req.api.request(CountRoundDocument, { roundId }, ctx(req));
      setFlash(res, 'officer.counted');
    } catch (e) {
      // A count that fails again keeps its reason on the round, which the round page shows.
      if (!(e instanceof ApiError) || ['INTERNAL', 'UNAUTHENTICATED', 'NOT_AUTHORISED', 'NOT_FOUND'].includes(e.code)) throw e;
      setFlash(res, 'officer.countFailed');
    }
    res.redirect(303, `/officer/rounds/${roundId}`);
  });

  const loadStaffResult = async (req: Request) => {
    const roundId = String(req.params.id);
    const data = await req.api.request(RoundResultPageDocument, { roundId, version: null }, ctx(req));
    return data;
  };

  r.use('/officer/rounds/:id/publish', requireCouncillor);
  r.get('/officer/rounds/:id/publish', async (req, res) => {
    const data = await loadStaffResult(req);
    if (!data.roundResult?.provisional) {
      res.redirect(303, `/officer/rounds/${data.round.id}`);
      return;
    }
    staff(res, 'staff/publish', { pageTitle: 'Publish the result', round: data.round, ...resultView(data.roundResult), backLink: `/officer/rounds/${data.round.id}` });
  });
  r.post('/officer/rounds/:id/publish', async (req, res) => {
    const roundId = String(req.params.id);
    try {
      await req.api.request(PublishResultDocument, { roundId }, ctx(req));
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 'INTERNAL' || e.code === 'NOT_AUTHORISED') throw e;
      const data = await loadStaffResult(req);
      const errors = new FormErrors().add('publish', e.message);
      staff(res, 'staff/publish', { pageTitle: 'Publish the result', round: data.round, ...(data.roundResult ? resultView(data.roundResult) : {}), errors, backLink: `/officer/rounds/${roundId}` }, 400);
      return;
    }
    setFlash(res, 'officer.published');
    res.redirect(303, `/officer/rounds/${roundId}`);
  });

  const correctionPage = async (req: Request, res: Response, values: { reason?: string; exclude?: string[] }, errors?: FormErrors) => {
    const data = await loadStaffResult(req);
    if (!data.roundResult || data.roundResult.provisional) {
      res.redirect(303, `/officer/rounds/${data.round.id}`);
      return;
    }
    staff(
      res,
      'staff/correct',
      { pageTitle: 'Publish a correction', round: data.round, ...resultView(data.roundResult), values: { reason: '', exclude: [], ...values }, errors, backLink: `/officer/rounds/${data.round.id}` },
      errors?.any ? 400 : 200,
    );
  };
  r.use('/officer/rounds/:id/correct', requireCouncillor);
  r.get('/officer/rounds/:id/correct', (req, res) => correctionPage(req, res, {}));
  r.post('/officer/rounds/:id/correct', async (req, res) => {
    const roundId = String(req.params.id);
    const values = { reason: str(req.body, 'reason'), exclude: strs(req.body, 'exclude') };
    const errors = new FormErrors();
    if (!values.reason) errors.add('reason', 'Enter the reason for the correction');
    else if (values.reason.length < 10) errors.add('reason', 'The reason must be at least 10 characters');
    else if (values.reason.length > 2000) errors.add('reason', 'The reason must be 2,000 characters or fewer');
    if (!errors.any) {
      try {
        const { correctResult } = await req.api.request(CorrectResultDocument, { roundId, reason: values.reason, excludeBidIds: values.exclude }, ctx(req));
        setFlash(res, 'officer.corrected');
        res.redirect(303, `/officer/rounds/${roundId}#version-${correctResult}`);
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code === 'INTERNAL' || e.code === 'NOT_AUTHORISED') throw e;
        for (const item of e.errors) errors.add(item.field === 'excludeBidIds' ? 'exclude' : 'reason', item.message);
      }
    }
    await correctionPage(req, res, values, errors);
  });

  // Each pot's result as CSV, for council reports: officers and councillors, through GraphQL with their session.
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
