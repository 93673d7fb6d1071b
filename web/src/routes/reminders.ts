// Reminders about a round, for someone who has proved they can take part:
// "Do you want reminders?" by email, text message or (where the council
// sends letters) post, then where to send them (one question a page: the
// address for post on a page of its own, as GOV.UK's address pattern), in
// the page's language, and what they will get. And the link in every
// reminder email that stops them, for anyone who has it: the link's page
// only asks, since mail scanners open links; its button stops them.
import { Router, type Request, type Response } from 'express';
import { ReminderChannelsDocument, RemindersRoundDocument, SetRemindersDocument, StopRemindersByLinkDocument, StopRemindersDocument, type ReminderChannel } from '../graphql/generated/graphql.js';
import { addApiError, refusal } from '../forms/api-error.js';
import { contactPath, parsePostalAddress, parseReminderChoice, parseReminderContact, remindersApiErrors, stopLink } from '../forms/reminders.js';
import { formStatus } from '../http/render.js';
import { ctx, requireSignIn } from '../http/request.js';
import { apiLanguage, fmt, type Dictionary } from '../i18n/index.js';
import { setFlash } from '../lib/flash.js';
import type { FormErrors } from '../lib/forms.js';
import { postOffered, remindersOffered, remindersOpen } from '../view-models/reminders.js';

async function load(req: Request) {
  const data = await req.api.request(RemindersRoundDocument, { id: String(req.params.id) }, ctx(req));
  const round = data.round;
  return {
    round,
    verified: data.myVerifications.some((v) => v.roundId === round.id && v.verified),
    current: data.myReminders.find((r) => r.roundId === round.id) ?? null,
    channels: data.reminderChannels,
  };
}

/** Someone not verified for the round is sent to do that first; true when they were. */
function verifyFirst(res: Response, round: { id: string }, verified: boolean): boolean {
  if (verified) return false;
  setFlash(res, 'reminders.verifyFirst');
  res.redirect(303, `/rounds/${round.id}/verify`);
  return true;
}

/** The question, with what they would get and, when they already asked, where it goes now. */
async function questionPage(req: Request, res: Response, form: { values?: Record<string, string>; errors?: FormErrors } = {}) {
  const { round, verified, current, channels } = await load(req);
  if (verifyFirst(res, round, verified)) return;
  res.status(formStatus(form.errors)).render('pages/reminders', {
    pageTitle: res.locals.t.reminders.pageHeading,
    round,
    current,
    open: remindersOpen(round),
    offered: remindersOffered(round),
    byPost: postOffered(channels),
    values: form.values ?? { channel: current?.channel ?? '' },
    errors: form.errors,
    backLink: `/rounds/${round.id}/verify`,
  });
}

/**
 * Where to send them: an email address or a mobile number, or for post a
 * name and address. Back to the question when the round no longer takes
 * them, or the council does not send letters.
 */
async function contactPage(req: Request, res: Response, channel: ReminderChannel, form: { values?: Record<string, string>; errors?: FormErrors } = {}) {
  const { round, verified, channels } = await load(req);
  if (verifyFirst(res, round, verified)) return;
  const t = res.locals.t;
  if (!remindersOpen(round) || !channels.includes(channel)) {
    res.redirect(303, `/rounds/${round.id}/reminders`);
    return;
  }
  const titles: Record<ReminderChannel, string> = { EMAIL: t.reminders.emailTitle, TEXT: t.reminders.textTitle, LETTER: t.reminders.letterTitle };
  res.status(formStatus(form.errors)).render(channel === 'LETTER' ? 'pages/reminders-address' : 'pages/reminders-contact', {
    pageTitle: titles[channel],
    round,
    channel,
    action: contactPath(round.id, channel),
    values: form.values ?? {},
    errors: form.errors,
    backLink: `/rounds/${round.id}/reminders`,
  });
}

/** Where they go, from the page's form: an address or number, or a name and address for post. */
function parseWhere(body: unknown, channel: ReminderChannel, t: Dictionary) {
  if (channel !== 'LETTER') return parseReminderContact(body, channel, t);
  return parsePostalAddress(body, t.reminders);
}

/** A link to stop reminders that is cut short or wrong: say what to do, with the help line. */
function brokenLink(res: Response) {
  const t = res.locals.t;
  res.status(404).render('pages/error', { title: t.reminders.linkBrokenTitle, text: fmt(t.reminders.linkBrokenText, { helpLine: res.locals.config.helpLine }) });
}

export function reminderRoutes() {
  const r = Router();
  r.use('/rounds/:id/reminders', requireSignIn);

  r.get('/rounds/:id/reminders', (req, res) => questionPage(req, res));

  r.post('/rounds/:id/reminders', async (req, res) => {
    const id = String(req.params.id);
    const { reminderChannels } = await req.api.request(ReminderChannelsDocument, {}, ctx(req));
    const { values, errors, choice } = parseReminderChoice(req.body, res.locals.t, reminderChannels);
    if (choice === 'NONE') {
      // "No, thank you": any reminders asked for before stop too.
      const { stopReminders } = await req.api.request(StopRemindersDocument, { roundId: id }, ctx(req));
      if (stopReminders > 0) setFlash(res, 'reminders.stopped');
      res.redirect(303, `/rounds/${id}`);
      return;
    }
    if (choice) {
      res.redirect(303, contactPath(id, choice));
      return;
    }
    await questionPage(req, res, { values, errors });
  });

  for (const channel of ['EMAIL', 'TEXT', 'LETTER'] as const) {
    const path = contactPath(':id', channel);
    r.get(path, (req, res) => contactPage(req, res, channel));
    r.post(path, async (req, res) => {
      const t = res.locals.t;
      const id = String(req.params.id);
      const { values, errors, contact } = parseWhere(req.body, channel, t);
      if (contact) {
        try {
          await req.api.request(SetRemindersDocument, { input: { roundId: id, channel, contact, language: apiLanguage(req.lang) } }, ctx(req));
          res.redirect(303, `/rounds/${id}/reminders/done`);
          return;
        } catch (e) {
          addApiError(errors, e, remindersApiErrors(t, channel, e));
        }
      }
      await contactPage(req, res, channel, { values, errors });
    });
  }

  // Where they go, in the API's words (partly hidden).
  r.get('/rounds/:id/reminders/done', async (req, res) => {
    const { round, current } = await load(req);
    if (!current) {
      res.redirect(303, `/rounds/${round.id}/reminders`);
      return;
    }
    res.render('pages/reminders-done', { pageTitle: res.locals.t.reminders.doneTitle, round, current, votingOpen: round.phase === 'VOTING' && remindersOpen(round) });
  });

  // The link in a reminder email. Nothing stops until the button is pressed.
  r.get('/reminders/stop', (req, res) => {
    const link = stopLink(req.query);
    if (!link) return brokenLink(res);
    res.render('pages/reminders-stop', { pageTitle: res.locals.t.reminders.stopTitle, link });
  });

  r.post('/reminders/stop', async (req, res) => {
    const link = stopLink(req.body);
    if (!link) return brokenLink(res);
    try {
      await req.api.request(StopRemindersByLinkDocument, link, ctx(req));
    } catch (e) {
      refusal(e, { only: ['NOT_FOUND'] });
      return brokenLink(res);
    }
    res.redirect(303, '/reminders/stopped');
  });

  r.get('/reminders/stopped', (req, res) => {
    res.render('pages/reminders-stopped', { pageTitle: res.locals.t.reminders.stoppedTitle });
  });

  return r;
}
