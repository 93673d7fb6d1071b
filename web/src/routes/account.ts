// Your account: your details, your verification for each round, signing out.
import { Router, type CookieOptions } from 'express';
import { ctx, requireSignIn } from '../app.js';
import { DeleteMyVerificationDocument, MyVerificationsDocument, MyVoteDocument } from '../graphql/generated/graphql.js';
import { setFlash } from '../lib/flash.js';

export function accountRoutes(_cookieBase: CookieOptions) {
  const r = Router();
  r.use('/account', requireSignIn);

  r.get('/account', async (req, res) => {
    const data = await req.api.request(MyVerificationsDocument, {}, ctx(req));
    const titles = new Map(data.rounds.nodes.map((round) => [round.id, round]));
    // Whether you voted, for each round you may vote in (one small query each).
    const verifications = await Promise.all(
      data.myVerifications.map(async (v) => {
        const round = titles.get(v.roundId);
        const votingStarted = round && ['VOTING', 'CLOSED', 'COUNTED', 'PUBLISHED'].includes(round.phase);
        const vote = v.verified && votingStarted ? (await req.api.request(MyVoteDocument, { roundId: v.roundId }, ctx(req))).myVote : null;
        return { ...v, round, vote };
      }),
    );
    res.render('pages/account', { pageTitle: res.locals.t.account.title, verifications, navSection: 'account' });
  });

  r.post('/account/verifications/:roundId/delete', async (req, res) => {
    await req.api.request(DeleteMyVerificationDocument, { roundId: req.params.roundId }, ctx(req));
    setFlash(res, 'account.deleted');
    res.redirect(303, '/account');
  });

  return r;
}
