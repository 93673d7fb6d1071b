// Your account: your details, your verification for each round, your
// data to download, deleting the account, signing out.
import { Router, type CookieOptions, type Request } from 'express';
import { COOKIES, ctx, requireSignIn } from '../http/request.js';
import { ApiError } from '../graphql/client.js';
import { addApiError } from '../forms/api-error.js';
import { DeleteMyAccountDocument, DeleteMyVerificationDocument, MyDataDocument, MyGroupsAloneDocument, MyVerificationsDocument, MyVoteDocument } from '../graphql/generated/graphql.js';
import { setFlash } from '../lib/flash.js';
import { parseDeletion } from '../forms/residents.js';
import { fmt } from '../i18n/index.js';

/** The groups the signed-in person is the only member of. */
async function groupsAlone(req: Request): Promise<string[]> {
  const data = await req.api.request(MyGroupsAloneDocument, {}, ctx(req));
  return (data.me?.groups ?? []).filter((g) => g.members.nodes.length === 1).map((g) => g.name);
}

export function accountRoutes(cookieBase: CookieOptions) {
  const r = Router();
  // Shown once the account is gone, so signed out.
  r.get('/account-deleted', (req, res) => {
    res.render('pages/account-deleted', { pageTitle: res.locals.t.account.deletedTitle });
  });
  r.use('/account', requireSignIn);

  // Everything the platform holds about you, as a file to keep.
  r.get('/account/data.json', async (req, res) => {
    const data = await req.api.request(MyDataDocument, {}, ctx(req));
    res.set('cache-control', 'no-store');
    res.attachment('fairshare-your-data.json');
    res.type('application/json').send(data.myData);
  });

  r.get('/account/delete', async (req, res) => {
    res.render('pages/account-delete', { pageTitle: res.locals.t.account.deleteTitle, aloneIn: await groupsAlone(req), backLink: '/account' });
  });

  r.post('/account/delete', async (req, res) => {
    const t = res.locals.t;
    const { errors, confirmed } = parseDeletion(req.body, t);
    if (confirmed) {
      try {
        await req.api.request(DeleteMyAccountDocument, { confirm: true }, ctx(req));
        res.clearCookie(COOKIES.session, cookieBase);
        res.redirect(303, '/account-deleted');
        return;
      } catch (e) {
        // The groups you alone hold are named, so you know which to hand on.
        const alone = e instanceof ApiError && e.code === 'LAST_MEMBER' ? await groupsAlone(req) : [];
        const messages = { ...t.api, LAST_ADMIN: t.account.deleteErrorLastAdmin, ...(alone.length ? { LAST_MEMBER: fmt(t.account.deleteAloneIn, { groups: alone.join(', ') }) } : {}) };
        addApiError(errors, e, { field: 'confirm', messages, text: (err) => err.code, rethrow: [] });
      }
    }
    res.status(400).render('pages/account-delete', { pageTitle: t.account.deleteTitle, errors, aloneIn: await groupsAlone(req), backLink: '/account' });
  });

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
