// Paper ballot forms returned by post: the voting code printed on the letter
// that came back with the form finds the person's verification, and the
// form is entered in the staff ballot pages as a paper ballot.
import { Router } from 'express';
import { PaperFormVoterDocument } from '../../graphql/generated/graphql.js';
import { loadRound } from '../../graphql/load.js';
import { addApiError } from '../../forms/api-error.js';
import { PAPER_FORM_API_ERRORS, parsePaperForm } from '../../forms/officer.js';
import { formStatus, renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';

const PAGE_TITLE = 'Enter a paper ballot returned by post';

/** The staff ballot pages for a paper ballot of this verification. */
export function paperBallotHref(roundId: string, verification: { id: string; area: { id: string } }): string {
  const query = new URLSearchParams({ verification: verification.id, area: verification.area.id, channel: 'PAPER' }).toString();
  return `/officer/rounds/${roundId}/ballots?${query}`;
}

export function paperFormRoutes() {
  const r = Router();

  r.get('/officer/rounds/:id/paper-forms', async (req, res) => {
    const round = await loadRound(req);
    renderStaff(res, 'staff/paper-form', { pageTitle: PAGE_TITLE, round, values: {}, backLink: `/officer/rounds/${round.id}` });
  });
  r.post('/officer/rounds/:id/paper-forms', async (req, res) => {
    const round = await loadRound(req);
    const { values, errors, input } = parsePaperForm(req.body);
    if (input) {
      try {
        const { paperFormVoter } = await req.api.request(PaperFormVoterDocument, { roundId: round.id, votingCode: input.votingCode }, ctx(req));
        res.redirect(303, paperBallotHref(round.id, paperFormVoter));
        return;
      } catch (e) {
        addApiError(errors, e, PAPER_FORM_API_ERRORS);
      }
    }
    renderStaff(res, 'staff/paper-form', { pageTitle: PAGE_TITLE, round, values, errors, backLink: `/officer/rounds/${round.id}` }, formStatus(errors));
  });

  return r;
}
