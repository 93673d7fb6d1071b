// Who may vote: the council's register, residents verified in person (and
// their reminders, if they want them), the round's verifications and their
// conflicts, and turnout while voting (counts of people, never of choices).
import { Router, type Request, type Response } from 'express';
import {
  ImportRegisterDocument,
  RecordInPersonVerificationDocument,
  ReminderChannelsDocument,
  ResolveVerificationConflictDocument,
  RoundConflictsDocument,
  RoundVerificationsDocument,
  SetRemindersDocument,
  TurnoutDocument,
  type ReminderChannel,
  type RoundPageQuery,
} from '../../graphql/generated/graphql.js';
import { loadRound } from '../../graphql/load.js';
import { allPages } from '../../graphql/pages.js';
import { addApiError } from '../../forms/api-error.js';
import { EVIDENCE, IN_PERSON_API_ERRORS, REGISTER_COLUMNS, conflictResolution, parseInPerson, parseRegister } from '../../forms/officer.js';
import { parseStaffReminders, staffRemindersApiErrors } from '../../forms/reminders.js';
import { RELATIONS, staffFieldOf } from '../../forms/rounds.js';
import { setFlash } from '../../lib/flash.js';
import { formStatus, renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import type { FormErrors } from '../../lib/forms.js';
import { verificationCounts } from '../../view-models/officer.js';
import { postOffered, reminderContact, remindersOpen } from '../../view-models/reminders.js';

/** A verification's number, as in its letter reference V12. */
const VERIFICATION_ID = /^\d+$/;

/** Whether the council sends reminders by post, for the reminders form's "By post". */
async function byPost(req: Request): Promise<boolean> {
  return postOffered((await req.api.request(ReminderChannelsDocument, {}, ctx(req))).reminderChannels);
}

/** How reminders go, as the officer's confirmation says it. */
const HOW: Record<ReminderChannel, string> = { EMAIL: 'by email to', TEXT: 'by text message to', LETTER: 'by post to the address with the postcode' };

/** Reminders for someone verified in person: the form, or what was set up. */
async function remindersPage(req: Request, res: Response, round: RoundPageQuery['round'], verificationId: string, form: { values?: Record<string, string>; errors?: FormErrors; saved?: string }) {
  renderStaff(
    res,
    'staff/in-person-reminders',
    {
      pageTitle: `Reminders for V${verificationId}`,
      round,
      verificationId,
      byPost: form.saved ? false : await byPost(req),
      values: form.values ?? {},
      errors: form.errors,
      saved: Boolean(form.saved),
      flash: form.saved,
      backLink: `/officer/rounds/${round.id}`,
    },
    formStatus(form.errors),
  );
}

export function verificationRoutes() {
  const r = Router();
  const back = (roundId: string) => `/officer/rounds/${roundId}`;

  // The council's register, as a CSV file with the columns named.
  r.get('/officer/rounds/:id/register', async (req, res) => {
    const round = await loadRound(req);
    renderStaff(res, 'staff/register', { pageTitle: 'Import the register', round, values: REGISTER_COLUMNS, backLink: back(round.id) });
  });
  // The file comes in a multipart form, read with its limits before the
  // CSRF check (http/bodies.ts).
  r.post('/officer/rounds/:id/register', async (req, res) => {
    const round = await loadRound(req);
    const { values, errors, input } = parseRegister(req.body, req.file, round.id);
    if (input) {
      try {
        const { importRegister } = await req.api.request(ImportRegisterDocument, { input }, ctx(req));
        renderStaff(res, 'staff/register-report', { pageTitle: 'Register imported', round, report: importRegister, backLink: back(round.id) });
        return;
      } catch (e) {
        addApiError(errors, e, { field: 'file', fieldOf: staffFieldOf, every: true });
      }
    }
    renderStaff(res, 'staff/register', { pageTitle: 'Import the register', round, values, errors, backLink: back(round.id) }, 400);
  });

  // In person
  const inPerson = { pageTitle: 'Verify a resident in person', evidence: EVIDENCE, relations: RELATIONS };
  r.get('/officer/rounds/:id/in-person', async (req, res) => {
    const round = await loadRound(req);
    renderStaff(res, 'staff/in-person', { ...inPerson, round, values: { relation: 'LIVE' }, backLink: back(round.id) });
  });
  r.post('/officer/rounds/:id/in-person', async (req, res) => {
    const round = await loadRound(req);
    const { values, errors, input } = parseInPerson(req.body);
    if (input) {
      try {
        const { recordInPersonVerification } = await req.api.request(RecordInPersonVerificationDocument, { roundId: round.id, input }, ctx(req));
        renderStaff(res, 'staff/in-person-done', {
          pageTitle: 'Resident verified',
          round,
          verification: recordInPersonVerification,
          // Reminders, if they want them: to the address or number just given, when only one was.
          remindersOpen: remindersOpen(round),
          byPost: remindersOpen(round) && (await byPost(req)),
          values: { contact: values.email && values.phone ? '' : values.email || values.phone },
        });
        return;
      } catch (e) {
        addApiError(errors, e, IN_PERSON_API_ERRORS);
      }
    }
    renderStaff(res, 'staff/in-person', { ...inPerson, round, values, errors, backLink: back(round.id) }, 400);
  });

  // Reminders for someone verified in person, by their letter reference.
  r.get('/officer/rounds/:id/in-person/:verificationId/reminders', async (req, res, next) => {
    const verificationId = String(req.params.verificationId);
    if (!VERIFICATION_ID.test(verificationId)) return next();
    await remindersPage(req, res, await loadRound(req), verificationId, {});
  });
  r.post('/officer/rounds/:id/in-person/:verificationId/reminders', async (req, res, next) => {
    const verificationId = String(req.params.verificationId);
    if (!VERIFICATION_ID.test(verificationId)) return next();
    const round = await loadRound(req);
    const { values, errors, input } = parseStaffReminders(req.body);
    if (input) {
      try {
        const { setReminders } = await req.api.request(SetRemindersDocument, { input: { roundId: round.id, verificationId, ...input } }, ctx(req));
        const language = setReminders.language === 'CY' ? 'Welsh' : 'English';
        const saved = `Reminders set up for V${verificationId}: ${HOW[setReminders.channel]} ${reminderContact(setReminders)}, in ${language}.`;
        await remindersPage(req, res, round, verificationId, { saved });
        return;
      } catch (e) {
        addApiError(errors, e, staffRemindersApiErrors(input.channel, e));
      }
    }
    await remindersPage(req, res, round, verificationId, { values, errors });
  });

  // Turnout while voting: counts of people, never of choices.
  r.get('/officer/rounds/:id/turnout', async (req, res) => {
    const round = await loadRound(req);
    const { turnout } = await req.api.request(TurnoutDocument, { roundId: round.id }, ctx(req));
    renderStaff(res, 'staff/turnout', { pageTitle: `Turnout: ${round.title}`, round, turnout, backLink: back(round.id) });
  });

  // Verifications and conflicts
  r.get('/officer/rounds/:id/verifications', async (req, res) => {
    const round = await loadRound(req);
    const [all, conflicts] = await Promise.all([
      allPages(async (after) => (await req.api.request(RoundVerificationsDocument, { roundId: round.id, after }, ctx(req))).verifications),
      req.api.request(RoundConflictsDocument, { roundId: round.id }, ctx(req)),
    ]);
    renderStaff(res, 'staff/verifications', {
      pageTitle: 'Verifications',
      round,
      ...verificationCounts(all),
      verificationConflicts: conflicts.verificationConflicts.nodes,
      backLink: back(round.id),
    });
  });
  r.post('/officer/rounds/:id/conflicts/:conflictId', async (req, res) => {
    const resolution = conflictResolution(req.body);
    await req.api.request(ResolveVerificationConflictDocument, { id: String(req.params.conflictId), resolution }, ctx(req));
    setFlash(res, 'officer.conflictResolved');
    res.redirect(303, `/officer/rounds/${req.params.id}/verifications`);
  });

  return r;
}
