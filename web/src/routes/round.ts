// A round's own page, for anyone: what it is, its dates, who can vote,
// reminders about it while it sends them, and its close checkpoint, which
// a signed-in person can ask to be emailed when voting closes.
import { Router, type Request, type Response } from 'express';
import { MyRemindersDocument, ObserveRoundDocument, RoundPageDocument, StopObservingRoundDocument } from '../graphql/generated/graphql.js';
import { addApiError } from '../forms/api-error.js';
import { observeApiErrors, parseObserve } from '../forms/checkpoint.js';
import { publicPage } from '../http/cache.js';
import { ctx } from '../http/request.js';
import { apiLanguage } from '../i18n/index.js';
import { formStatus } from '../http/render.js';
import { setFlash } from '../lib/flash.js';
import type { FormErrors } from '../lib/forms.js';
import { closeCheckpoint, observeOffer } from '../view-models/checkpoint.js';
import { remindersOpen } from '../view-models/reminders.js';
import { dateRow, timetable } from '../view-models/timetable.js';
import { written } from '../lib/welsh.js';

interface FormState {
  errors?: FormErrors;
  values?: { email?: string };
}

async function roundPage(req: Request, res: Response, form: FormState = {}) {
  // The council rules in the page's language.
  const { round } = await req.api.request(RoundPageDocument, { id: String(req.params.id), language: apiLanguage(req.lang) }, ctx(req));
  // Reminders while the round sends them; someone signed in sees theirs.
  const reminders = remindersOpen(round) && req.me ? (await req.api.request(MyRemindersDocument, {}, ctx(req))).myReminders.find((x) => x.roundId === round.id) : undefined;
  // Public to anyone signed out; with the form to get the checkpoint by email (signed in) it is not.
  publicPage(req, res, 'public');
  res.status(formStatus(form.errors)).render('pages/round', {
    pageTitle: written(round, 'title', req.lang),
    round,
    // The stage and dates as they are now: voting past its closing time has closed.
    tt: timetable(res.locals.t, req.lang, round),
    dates: {
      bidsOpenAt: dateRow(res.locals.t, req.lang, round.schedule.bidsOpenAt),
      bidsCloseAt: dateRow(res.locals.t, req.lang, round.schedule.bidsCloseAt),
      votingOpensAt: dateRow(res.locals.t, req.lang, round.schedule.votingOpensAt),
    },
    checkpoint: closeCheckpoint(round),
    observe: observeOffer(round, Boolean(req.me)),
    remindersOpen: remindersOpen(round),
    reminders,
    signInHref: `/sign-in?next=${encodeURIComponent(`/rounds/${round.id}#close-checkpoint`)}`,
    errors: form.errors,
    values: form.values ?? {},
    backLink: '/',
  });
}

/** Back to the round's page, or to sign in first and then to it. */
function toRound(req: Request, res: Response, flash?: string) {
  const here = `/rounds/${encodeURIComponent(String(req.params.id))}`;
  if (!req.me) {
    res.redirect(303, `/sign-in?next=${encodeURIComponent(here)}`);
    return;
  }
  if (flash) setFlash(res, flash);
  res.redirect(303, here);
}

export function roundRoutes() {
  const r = Router();

  r.get('/rounds/:id', (req, res) => roundPage(req, res));

  // The close checkpoint by email, to the address you sign in with.
  r.post('/rounds/:id/observe', async (req, res) => {
    if (!req.me) return toRound(req, res);
    const t = res.locals.t;
    const { values, errors, email } = parseObserve(req.body, t);
    if (email) {
      try {
        await req.api.request(ObserveRoundDocument, { roundId: String(req.params.id), email }, ctx(req));
        return toRound(req, res, 'checkpoint.observed');
      } catch (e) {
        addApiError(errors, e, observeApiErrors(t));
      }
    }
    await roundPage(req, res, { errors, values });
  });

  r.post('/rounds/:id/stop-observing', async (req, res) => {
    if (!req.me) return toRound(req, res);
    await req.api.request(StopObservingRoundDocument, { roundId: String(req.params.id) }, ctx(req));
    toRound(req, res, 'checkpoint.stopped');
  });

  return r;
}
