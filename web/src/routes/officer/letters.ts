// Voting-code letters. A round's letters are issued in batches, to
// everyone waiting for a code or to the people a names-and-addresses file
// names; the API keeps each batch's letters, sealed, until the officer says
// they are printed (a day at most, never after voting closes), so the
// batch's page offers its PDF and its CSV as often as needed. Where the
// council sends letters, a batch with every name and address can instead be
// posted through GOV.UK Notify, which the API then forgets the same way.
// One letter, to post to a resident verified in person, is the answer to
// its form.
import { Router, type Request, type Response } from 'express';
import {
  CollectVotingCodeLettersDocument,
  IssueVotingCodeBatchDocument,
  IssueVotingCodesDocument,
  PostVotingCodeLettersDocument,
  ReminderChannelsDocument,
  ReprintVotingCodeLettersDocument,
  VotingCodeBatchesDocument,
  type RoundPageQuery,
} from '../../graphql/generated/graphql.js';
import { loadRound } from '../../graphql/load.js';
import { allPages } from '../../graphql/pages.js';
import { addApiError, refusal } from '../../forms/api-error.js';
import { POST_LETTERS_API_ERRORS, letterFormat, lettersApiErrors, parseLetter, parseLetters } from '../../forms/officer.js';
import { staffFieldOf } from '../../forms/rounds.js';
import { BodyError } from '../../http/bodies.js';
import { formStatus, renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { setFlash } from '../../lib/flash.js';
import { FormErrors } from '../../lib/forms.js';
import { batchHref, letterBatch, letterFile, lettersHref, postedText } from '../../view-models/officer.js';
import { postOffered } from '../../view-models/reminders.js';

type Round = RoundPageQuery['round'];

function sendFile(res: Response, file: { name: string; type: string; body: Buffer | string }) {
  res.set('Content-Type', file.type);
  res.set('Content-Disposition', `attachment; filename="${file.name}"`);
  res.set('Cache-Control', 'no-store');
  res.send(file.body);
}

const VERIFICATION_ID = /^\d+$/;
const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The round's batches whose letters are still kept, newest first. */
function keptBatches(req: Request, roundId: string) {
  return allPages(async (after) => (await req.api.request(VotingCodeBatchesDocument, { roundId, after }, ctx(req))).votingCodeBatches);
}

/** The batch in the address, if it is one of this round's and its letters are still kept. */
async function keptBatch(req: Request, roundId: string) {
  const id = String(req.params.batchId).toLowerCase();
  const batch = (await keptBatches(req, roundId)).find((b) => b.id === id);
  return batch ? letterBatch(roundId, batch) : null;
}

function showLetters(res: Response, round: Round, batches: Awaited<ReturnType<typeof keptBatches>>, errors?: FormErrors) {
  renderStaff(
    res,
    'staff/letters',
    { pageTitle: 'Voting-code letters', round, batches: batches.map((b) => letterBatch(round.id, b)), errors, backLink: `/officer/rounds/${round.id}` },
    formStatus(errors),
  );
}

/** Whether the council posts letters through GOV.UK Notify (the switch that offers reminders by post). */
async function posts(req: Request): Promise<boolean> {
  return postOffered((await req.api.request(ReminderChannelsDocument, {}, ctx(req))).reminderChannels);
}

type Batch = ReturnType<typeof letterBatch>;

/** The page that asks before posting a batch, with the API's refusal of it, if any, in its own words. */
function showPost(res: Response, round: Round, batch: Batch, errors?: FormErrors) {
  renderStaff(res, 'staff/letters-post', { pageTitle: batch.postQuestion, round, batch, errors, backLink: batch.href }, formStatus(errors));
}

/** A batch whose letters are no longer kept: collected, or their time is over. */
function showGone(res: Response, round: Round) {
  renderStaff(res, 'staff/letters-gone', { pageTitle: 'These letters are no longer kept', round, backLink: lettersHref(round.id) }, 404);
}

export function letterRoutes() {
  const r = Router();

  r.get('/officer/rounds/:id/letters', async (req, res) => {
    const round = await loadRound(req);
    showLetters(res, round, await keptBatches(req, round.id));
  });
  // The names-and-addresses file comes in a multipart form, read with its
  // limits before the CSRF check (http/bodies.ts).
  r.post('/officer/rounds/:id/letters', async (req, res) => {
    const round = await loadRound(req);
    const { errors, input } = parseLetters(req.file);
    let refused: unknown;
    if (input) {
      try {
        const { issueVotingCodes } = await req.api.request(IssueVotingCodeBatchDocument, { input: { roundId: round.id, addresses: input.addresses } }, ctx(req));
        res.redirect(303, batchHref(round.id, issueVotingCodes.batchId));
        return;
      } catch (e) {
        refused = refusal(e);
      }
    }
    const batches = await keptBatches(req, round.id);
    if (refused) addApiError(errors, refused, lettersApiErrors(batches.length > 0));
    showLetters(res, round, batches, errors);
  });

  // A batch: its letters to download (as often as needed) until they are printed.
  r.get('/officer/rounds/:id/letters/batches/:batchId', async (req, res, next) => {
    if (!BATCH_ID.test(String(req.params.batchId))) return next();
    const round = await loadRound(req);
    const [batch, byPost] = await Promise.all([keptBatch(req, round.id), posts(req)]);
    if (!batch) return showGone(res, round);
    renderStaff(res, 'staff/letters-batch', { pageTitle: batch.heading, round, batch, byPost, backLink: lettersHref(round.id) });
  });
  r.post('/officer/rounds/:id/letters/batches/:batchId', async (req, res, next) => {
    if (!BATCH_ID.test(String(req.params.batchId))) return next();
    const format = letterFormat(req.body);
    if (!format) throw new BodyError(400, 'letters.format', 'the file to download is PDF or CSV');
    const round = await loadRound(req);
    const batch = await keptBatch(req, round.id);
    if (!batch) return showGone(res, round);
    try {
      const { reprintVotingCodeLetters } = await req.api.request(ReprintVotingCodeLettersDocument, { batchId: batch.id, pdf: format === 'pdf' }, ctx(req));
      sendFile(res, letterFile(round.id, batch.id, format, reprintVotingCodeLetters));
    } catch (e) {
      // Collected, or its time ran out, since the list was read.
      refusal(e, { only: ['NOT_FOUND'] });
      showGone(res, round);
    }
  });

  // The letters are safe: the API forgets them, after a confirmation page.
  r.get('/officer/rounds/:id/letters/batches/:batchId/printed', async (req, res, next) => {
    if (!BATCH_ID.test(String(req.params.batchId))) return next();
    const round = await loadRound(req);
    const batch = await keptBatch(req, round.id);
    if (!batch) return showGone(res, round);
    renderStaff(res, 'staff/letters-printed', { pageTitle: batch.printedQuestion, round, batch, backLink: batch.href });
  });
  r.post('/officer/rounds/:id/letters/batches/:batchId/printed', async (req, res, next) => {
    if (!BATCH_ID.test(String(req.params.batchId))) return next();
    const round = await loadRound(req);
    const batch = await keptBatch(req, round.id);
    if (!batch) return showGone(res, round);
    try {
      await req.api.request(CollectVotingCodeLettersDocument, { batchId: batch.id }, ctx(req));
    } catch (e) {
      refusal(e, { only: ['NOT_FOUND'] });
      return showGone(res, round);
    }
    setFlash(res, 'officer.lettersCollected');
    res.redirect(303, lettersHref(round.id));
  });

  // Posted through GOV.UK Notify, after a confirmation page: the API then
  // forgets the letters, as when they are printed. Its refusals (a letter
  // with no name and address, an address line too long for Notify, Notify
  // not reached part way) are shown on that page in its own words.
  r.get('/officer/rounds/:id/letters/batches/:batchId/post', async (req, res, next) => {
    if (!BATCH_ID.test(String(req.params.batchId))) return next();
    const round = await loadRound(req);
    const [batch, byPost] = await Promise.all([keptBatch(req, round.id), posts(req)]);
    if (!batch) return showGone(res, round);
    if (!byPost) {
      res.redirect(303, batch.href);
      return;
    }
    showPost(res, round, batch);
  });
  r.post('/officer/rounds/:id/letters/batches/:batchId/post', async (req, res, next) => {
    if (!BATCH_ID.test(String(req.params.batchId))) return next();
    const round = await loadRound(req);
    const batch = await keptBatch(req, round.id);
    if (!batch) return showGone(res, round);
    try {
      const { postVotingCodeLetters } = await req.api.request(PostVotingCodeLettersDocument, { batchId: batch.id }, ctx(req));
      const heading = postedText(postVotingCodeLetters.posted);
      renderStaff(res, 'staff/letters-posted', { pageTitle: heading, heading, round, posted: postVotingCodeLetters.posted });
    } catch (e) {
      // Collected, or its time ran out, since the list was read.
      if (refusal(e, { rethrow: ['INTERNAL', 'NOT_AUTHORISED'] }).code === 'NOT_FOUND') return showGone(res, round);
      showPost(res, round, batch, addApiError(new FormErrors(), e, POST_LETTERS_API_ERRORS));
    }
  });

  r.get('/officer/rounds/:id/letters/:verificationId', async (req, res, next) => {
    if (!VERIFICATION_ID.test(String(req.params.verificationId))) return next();
    const round = await loadRound(req);
    renderStaff(res, 'staff/letter', { pageTitle: 'Post a voting-code letter', round, verificationId: String(req.params.verificationId), values: {}, backLink: `/officer/rounds/${round.id}` });
  });
  r.post('/officer/rounds/:id/letters/:verificationId', async (req, res, next) => {
    const verificationId = String(req.params.verificationId);
    if (!VERIFICATION_ID.test(verificationId)) return next();
    const round = await loadRound(req);
    const { values, errors, input } = parseLetter(req.body, verificationId);
    if (input) {
      try {
        const { issueVotingCodes } = await req.api.request(IssueVotingCodesDocument, { input: { roundId: round.id, recipients: [input] } }, ctx(req));
        sendFile(res, { name: `voting-code-letter-${verificationId}.pdf`, type: 'application/pdf', body: Buffer.from(issueVotingCodes.pdfBase64, 'base64') });
        return;
      } catch (e) {
        addApiError(errors, e, { field: 'name', fieldOf: staffFieldOf, every: true });
      }
    }
    renderStaff(res, 'staff/letter', { pageTitle: 'Post a voting-code letter', round, verificationId, values, errors, backLink: `/officer/rounds/${round.id}` }, 400);
  });

  return r;
}
