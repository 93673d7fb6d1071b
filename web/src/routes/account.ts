// Your account: your details (and the name your groups see), your
// verification for each round (deleted after a confirmation page), your
// reminders for each round (stopped with a button), your data to download,
// deleting the account, signing out.
import { Router, type CookieOptions, type Request, type Response } from 'express';
import { COOKIES, ctx, requireSignIn } from '../http/request.js';
import { ApiError } from '../graphql/client.js';
import { addApiError } from '../forms/api-error.js';
import {
  DeleteMyAccountDocument,
  DeleteMyVerificationDocument,
  MyDataDocument,
  MyGroupsAloneDocument,
  MyRemindersDocument,
  MyVerificationsDocument,
  MyVoteDocument,
  SetDisplayNameDocument,
  StopRemindersDocument,
} from '../graphql/generated/graphql.js';
import { setFlash } from '../lib/flash.js';
import type { FormErrors } from '../lib/forms.js';
import { formStatus } from '../http/render.js';
import { displayNameApiErrors, parseDeletion, parseDisplayName } from '../forms/residents.js';
import { fmt, type Dictionary } from '../i18n/index.js';
import { keptData, roleNames } from '../view-models/account.js';
import { accountReminders } from '../view-models/reminders.js';
import { timetable } from '../view-models/timetable.js';

/** The groups the signed-in person is the only member of. */
async function groupsAlone(req: Request): Promise<string[]> {
  const data = await req.api.request(MyGroupsAloneDocument, {}, ctx(req));
  return (data.me?.groups ?? []).filter((g) => g.members.nodes.length === 1).map((g) => g.name);
}

/** The one question of the name page. */
function nameForm(res: Response, values: { name: string }, errors?: FormErrors) {
  res.status(formStatus(errors)).render('pages/account-name', { pageTitle: res.locals.t.account.nameTitle, values, errors, backLink: '/account', navSection: 'account' });
}

/** Your verification for each round, with whether you voted where voting has started (one small query each). */
async function myVerifications(req: Request, t: Dictionary) {
  const data = await req.api.request(MyVerificationsDocument, {}, ctx(req));
  const titles = new Map(data.rounds.nodes.map((round) => [round.id, round]));
  return Promise.all(
    data.myVerifications.map(async (v) => {
      const round = titles.get(v.roundId);
      const votingStarted = round && ['VOTING', 'CLOSED', 'COUNTED', 'PUBLISHED'].includes(round.phase);
      const vote = v.verified && votingStarted ? (await req.api.request(MyVoteDocument, { roundId: v.roundId }, ctx(req))).myVote : null;
      // When voting closes, and the days left, while it is open.
      const tt = round ? timetable(t, req.lang, round) : null;
      return { ...v, round, vote, tt, kept: keptData(t, v) };
    }),
  );
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

  // The name the other members of your groups see; empty removes it.
  r.get('/account/name', (req, res) => nameForm(res, { name: req.me?.displayName ?? '' }));
  r.post('/account/name', async (req, res) => {
    const t = res.locals.t;
    const { values, errors, name } = parseDisplayName(req.body, t);
    if (name !== null) {
      try {
        await req.api.request(SetDisplayNameDocument, { name }, ctx(req));
        setFlash(res, name ? 'account.nameSaved' : 'account.nameRemoved');
        res.redirect(303, '/account');
        return;
      } catch (e) {
        addApiError(errors, e, displayNameApiErrors(t));
      }
    }
    nameForm(res, values, errors);
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
    const t = res.locals.t as Dictionary;
    const [verifications, { myReminders }] = await Promise.all([myVerifications(req, t), req.api.request(MyRemindersDocument, {}, ctx(req))]);
    res.render('pages/account', {
      pageTitle: t.account.title,
      roles: roleNames(t, req.me?.roles ?? []),
      verifications,
      ...accountReminders(myReminders, verifications),
      navSection: 'account',
    });
  });

  // Reminders stop straight away: asking again is as quick.
  r.post('/account/reminders/:roundId/stop', async (req, res) => {
    await req.api.request(StopRemindersDocument, { roundId: String(req.params.roundId) }, ctx(req));
    setFlash(res, 'reminders.stopped');
    res.redirect(303, '/account');
  });

  // Deleting your verification for a round: a confirmation page says what
  // happens (and to a vote already cast) before anything is deleted.
  r.get('/account/verifications/:roundId/delete', async (req, res) => {
    const v = (await myVerifications(req, res.locals.t)).find((x) => x.roundId === String(req.params.roundId));
    if (!v) {
      res.redirect(303, '/account');
      return;
    }
    const t = res.locals.t;
    const round = v.round?.title ?? '';
    res.render('pages/verification-delete', { pageTitle: fmt(t.account.verificationDeleteTitle, { round }), v, roundTitle: round, backLink: '/account', navSection: 'account' });
  });
  r.post('/account/verifications/:roundId/delete', async (req, res) => {
    await req.api.request(DeleteMyVerificationDocument, { roundId: String(req.params.roundId) }, ctx(req));
    setFlash(res, 'account.deleted');
    res.redirect(303, '/account');
  });

  return r;
}
