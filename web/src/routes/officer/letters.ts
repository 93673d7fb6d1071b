// Voting-code letters: the codes exist only in the file sent back, so the
// file is the answer to the form. Every letter of a round (PDF or CSV), or
// one to post to a resident verified in person.
import { Router, type Response } from 'express';
import { IssueVotingCodesDocument } from '../../graphql/generated/graphql.js';
import { loadRound } from '../../graphql/load.js';
import { addApiError } from '../../forms/api-error.js';
import { parseLetter, parseLetters } from '../../forms/officer.js';
import { staffFieldOf } from '../../forms/rounds.js';
import { renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { letterFile } from '../../view-models/officer.js';

function sendFile(res: Response, file: { name: string; type: string; body: Buffer | string }) {
  res.set('Content-Type', file.type);
  res.set('Content-Disposition', `attachment; filename="${file.name}"`);
  res.set('Cache-Control', 'no-store');
  res.send(file.body);
}

const VERIFICATION_ID = /^\d+$/;

export function letterRoutes() {
  const r = Router();

  r.get('/officer/rounds/:id/letters', async (req, res) => {
    const round = await loadRound(req);
    renderStaff(res, 'staff/letters', { pageTitle: 'Voting-code letters', round, values: {}, backLink: `/officer/rounds/${round.id}` });
  });
  r.post('/officer/rounds/:id/letters', async (req, res) => {
    const round = await loadRound(req);
    const { values, errors, input } = parseLetters(req.body);
    if (input) {
      try {
        const { issueVotingCodes } = await req.api.request(IssueVotingCodesDocument, { input: { roundId: round.id } }, ctx(req));
        sendFile(res, letterFile(round.id, input.format, issueVotingCodes));
        return;
      } catch (e) {
        addApiError(errors, e, { field: 'format', fieldOf: staffFieldOf, every: true });
      }
    }
    renderStaff(res, 'staff/letters', { pageTitle: 'Voting-code letters', round, values, errors, backLink: `/officer/rounds/${round.id}` }, 400);
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
