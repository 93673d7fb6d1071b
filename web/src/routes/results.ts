// Results: the published result of a round, every version of it, and
// checking a receipt, for anyone. Staff pages for results are in
// officer/results.ts. The files themselves (bundle.tar, pot-N.pb…) are the
// API's, at /rounds/ROUND/results/vN/FILE: see `forwardsToApi` in http/proxy.ts.
import { Router, type Request, type Response } from 'express';
import { ReceiptProofDocument, ReceiptRoundDocument, ResultFreshnessDocument, RoundResultPageDocument, type ResultFreshnessQuery } from '../graphql/generated/graphql.js';
import { addApiError } from '../forms/api-error.js';
import { parseReceipt } from '../forms/results.js';
import { apiLanguage } from '../i18n/index.js';
import { lastPublished, publicPage, publishedPageEtag, sharedCacheable } from '../http/cache.js';
import { BUILD_ID } from '../http/build-id.js';
import { RenderedPages, sendRendered } from '../http/rendered.js';
import { ctx } from '../http/request.js';
import { publishedVersions, residentPots, resultView, versionParam } from '../view-models/results.js';
import { closeCheckpoint } from '../view-models/checkpoint.js';
import { written } from '../lib/welsh.js';

/** The address a visitor used, for the commands they copy. */
function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function notFound(res: Response) {
  const t = res.locals.t;
  res.status(404).render('pages/error', { title: t.errors.notFoundTitle, text: t.errors.notFoundText });
}

const receiptRound = async (req: Request) => (await req.api.request(ReceiptRoundDocument, { roundId: String(req.params.id) }, ctx(req))).round;

async function receiptPage(req: Request, res: Response, locals: Record<string, unknown> = {}, status = 200) {
  const round = await receiptRound(req);
  res.status(status).render('pages/receipt-check', {
    pageTitle: res.locals.t.receipt.title,
    round,
    values: {},
    backLink: round.phase === 'PUBLISHED' ? `/rounds/${round.id}/results` : `/rounds/${round.id}`,
    ...locals,
  });
}

/** The validator of a round's published results page, as the page would be rendered now. */
function resultsEtag(req: Request, roundId: string, version: number | null, lastModified: Date): string {
  return publishedPageEtag({ page: `results-${roundId}`, version, lang: req.lang, lastModified, build: BUILD_ID });
}

type Versions = ResultFreshnessQuery['resultVersions'];

/**
 * Asks for a round's published versions on behalf of everyone not signed
 * in who asks at the same moment: a request that arrives while the API is
 * being asked for that round waits for the same answer rather than asking
 * again. The answer is never older than the request it waits on, which was
 * sent a few milliseconds before; nothing is kept once it comes. A
 * signed-in request always asks for itself.
 */
const askingNow = new Map<string, Promise<Versions>>();

function freshness(req: Request, roundId: string): Promise<Versions> {
  const ask = () => req.api.request(ResultFreshnessDocument, { roundId }, ctx(req)).then((d) => d.resultVersions);
  if (req.token) return ask();
  const asking = askingNow.get(roundId);
  if (asking) return asking;
  const answer = ask().finally(() => askingNow.delete(roundId));
  askingNow.set(roundId, answer);
  return answer;
}

/**
 * A published result's validator, from when it was last published, before
 * the result is fetched or the page rendered: it answers the conditional
 * request that everyone's browser and every cache repeats on results day,
 * and names the page in `renderedPages`. Undefined when the page is not a
 * published result anyone may share (nothing published, or this request is
 * personal).
 */
async function publishedValidator(req: Request, res: Response, roundId: string, version: number | null): Promise<string | undefined> {
  const resultVersions = await freshness(req, roundId);
  const lastModified = lastPublished(resultVersions);
  if (!lastModified) return undefined;
  if (version !== null && !resultVersions.some((v) => v.version === version && v.publishedAt)) return undefined;
  publicPage(req, res, 'published', lastModified);
  if (!sharedCacheable(res.getHeader('cache-control'))) return undefined;
  const etag = resultsEtag(req, roundId, version, lastModified);
  res.set('ETag', etag);
  // Its visitors after the first get it compressed when they can (http/rendered.ts): caches keep a copy per coding.
  res.vary('Accept-Encoding');
  return etag;
}

/** Published results pages as rendered (http/rendered.ts): few are wanted at once. */
const renderedPages = new RenderedPages(64);

export function resultRoutes() {
  const r = Router();

  r.get('/rounds/:id/results', async (req, res, next) => {
    const t = res.locals.t;
    const version = versionParam(req.query.version);
    if (version === undefined) {
      notFound(res);
      return;
    }
    const roundId = String(req.params.id);
    const validator = await publishedValidator(req, res, roundId, version);
    if (validator && req.fresh) {
      res.status(304).end();
      return;
    }
    // The page as it was rendered for the same address, host and validator.
    const key = validator && `${validator} ${origin(req)}${req.originalUrl}`;
    const rendered = key ? renderedPages.get(key) : undefined;
    if (rendered !== undefined) {
      sendRendered(req, res, rendered);
      return;
    }
    const data = await req.api.request(RoundResultPageDocument, { roundId, version, language: apiLanguage(req.lang) }, ctx(req));
    const result = data.roundResult;
    // Before publication the public page says so, even to a councillor: their provisional figures are on the staff pages.
    if (!result || result.provisional) {
      if (version !== null && data.round.phase === 'PUBLISHED') {
        notFound(res);
        return;
      }
      res.render('pages/results-none', {
        pageTitle: t.results.noneTitle,
        round: data.round,
        // Voting may have closed already: its checkpoint is there before any figure.
        checkpoint: closeCheckpoint(data.round),
        backLink: `/rounds/${data.round.id}`,
      });
      return;
    }
    // Published: kept a minute by any cache, then checked again, since a correction can follow.
    const lastModified = lastPublished(data.resultVersions);
    publicPage(req, res, 'published', lastModified);
    if (lastModified && sharedCacheable(res.getHeader('cache-control'))) {
      res.set('ETag', resultsEtag(req, roundId, version, lastModified));
    }
    const locals = {
      pageTitle: `${t.results.title}: ${written(data.round, 'title', req.lang)}`,
      round: data.round,
      ...resultView(result),
      // In plain words, with why each bid was not funded.
      resultPots: residentPots(resultView(result).resultPots, data.round.countingRule.name, t.results),
      rule: data.round.countingRule.name,
      ...publishedVersions(data.resultVersions, result.version),
      checkpoint: closeCheckpoint(data.round),
      origin: origin(req),
      backLink: `/rounds/${data.round.id}`,
    };
    res.render('pages/results', locals, (err: Error | null, html: string) => {
      if (err) {
        next(err);
        return;
      }
      // Kept only when it is the shared page: nothing in it was this visitor's (no cookie was set while rendering it).
      if (key && res.getHeader('set-cookie') === undefined && sharedCacheable(res.getHeader('cache-control'))) {
        void renderedPages.keep(key, html);
      }
      res.send(html);
    });
  });

  // Checking a receipt: is the ballot with this code in the published count?
  r.get('/rounds/:id/receipt', (req, res) => receiptPage(req, res));
  r.post('/rounds/:id/receipt', async (req, res) => {
    const t = res.locals.t;
    // Before publication there is nothing to check against: the page says so.
    if ((await receiptRound(req)).phase !== 'PUBLISHED') {
      await receiptPage(req, res);
      return;
    }
    const { values, errors, code } = parseReceipt(req.body, t);
    let proof = null;
    if (code) {
      try {
        proof = (await req.api.request(ReceiptProofDocument, { roundId: String(req.params.id), code }, ctx(req))).receiptProof ?? null;
      } catch (e) {
        addApiError(errors, e, { field: 'code', only: ['INVALID_INPUT'], text: () => t.receipt.errorFormat });
      }
      if (!proof && !errors.any) errors.add('code', t.receipt.errorUnknown);
    }
    if (errors.any || !proof) {
      await receiptPage(req, res, { errors, values }, 400);
      return;
    }
    // The page's title says what its heading says.
    await receiptPage(req, res, { proof, values: { code: proof.code }, pageTitle: proof.verified ? t.receipt.foundTitle : t.receipt.notVerifiedTitle });
  });

  return r;
}
