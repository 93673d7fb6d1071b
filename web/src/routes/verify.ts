// Proving that you may vote in a round, in each way the round accepts:
// your details first, then a code by text or email, the council's register,
// or an officer in person.
import { Router, type Request, type Response } from 'express';
import { ctx, requireSignIn } from '../http/request.js';
import { addApiError, type ApiErrorMapping } from '../forms/api-error.js';
import {
  ConfirmVerificationCodeDocument,
  DeclareEligibilityDocument,
  MatchRegisterDocument,
  MyRemindersDocument,
  RequestVerificationCodeDocument,
  VerifyRoundDocument,
  type CodeChannel,
} from '../graphql/generated/graphql.js';
import { FormErrors, str } from '../lib/forms.js';
import { setFlash } from '../lib/flash.js';
import { parseDeclaration, typedCode } from '../forms/residents.js';
import { offeredMethods } from '../view-models/verify.js';
import { remindersOpen } from '../view-models/reminders.js';

async function load(req: Request) {
  const data = await req.api.request(VerifyRoundDocument, { id: String(req.params.id) }, ctx(req));
  const mine = data.myVerifications.find((v) => v.roundId === data.round.id) ?? null;
  return { round: data.round, mine };
}

/** The declaration form's field for one the API names. */
function declarationFieldOf(apiField: string): string | undefined {
  return ({ name: 'name', dateOfBirth: 'dob-day', postcode: 'postcode', relation: 'relation' } as Record<string, string>)[apiField];
}

/** Where a refusal goes on the verification forms, in the page's language. */
function apiErrors(res: Response, field: string, more: Partial<ApiErrorMapping> = {}): ApiErrorMapping {
  return { field, messages: res.locals.t.api, rethrow: [], ...more };
}

export function verifyRoutes() {
  const r = Router();
  r.use('/rounds/:id/verify', requireSignIn);

  r.get('/rounds/:id/verify', async (req, res) => {
    const { round, mine } = await load(req);
    const t = res.locals.t;
    if (mine?.verified) {
      // Then: do they want reminders, while the round still sends them?
      const open = remindersOpen(round);
      const reminders = open ? (await req.api.request(MyRemindersDocument, {}, ctx(req))).myReminders.find((x) => x.roundId === round.id) : undefined;
      res.render('pages/verify-done', { pageTitle: t.verify.verifiedTitle, round, mine, remindersOpen: open, reminders });
      return;
    }
    if (mine?.held) {
      res.render('pages/verify-held', { pageTitle: t.verify.heldTitle, round });
      return;
    }
    if (mine) {
      res.redirect(`/rounds/${round.id}/verify/method`);
      return;
    }
    res.render('pages/verify-declare', { pageTitle: t.verify.title, round, values: { relation: round.eligibility.relations[0] }, backLink: `/rounds/${round.id}` });
  });

  r.post('/rounds/:id/verify', async (req, res) => {
    const { round } = await load(req);
    const t = res.locals.t;
    const { values, errors, person } = parseDeclaration(req.body, round.eligibility.relations, t);
    if (person) {
      try {
        const { declareEligibility } = await req.api.request(DeclareEligibilityDocument, { roundId: round.id, person }, ctx(req));
        res.redirect(303, declareEligibility.verified ? `/rounds/${round.id}/verify` : `/rounds/${round.id}/verify/method`);
        return;
      } catch (e) {
        addApiError(errors, e, apiErrors(res, 'name', { byCode: { NOT_IN_AREA: 'postcode', INVALID_POSTCODE: 'postcode', TOO_YOUNG: 'dob-day', RELATION_NOT_ACCEPTED: 'relation' }, fieldOf: declarationFieldOf }));
      }
    }
    res.status(400).render('pages/verify-declare', { pageTitle: t.verify.title, round, values, errors, backLink: `/rounds/${round.id}` });
  });

  const methodPage = async (req: Request, res: Response, errors?: FormErrors) => {
    const { round, mine } = await load(req);
    if (!mine) {
      res.redirect(`/rounds/${round.id}/verify`);
      return;
    }
    if (mine.verified || mine.held) {
      res.redirect(`/rounds/${round.id}/verify`);
      return;
    }
    const methods = offeredMethods(round, mine.methods);
    res.status(errors?.any ? 400 : 200).render('pages/verify-method', {
      pageTitle: res.locals.t.verify.methodTitle,
      round,
      methods,
      errors,
      backLink: `/rounds/${round.id}`,
    });
  };
  r.get('/rounds/:id/verify/method', (req, res) => methodPage(req, res));

  r.post('/rounds/:id/verify/method', async (req, res) => {
    const method = str(req.body, 'method');
    const id = String(req.params.id);
    switch (method) {
      case 'SMS':
      case 'EMAIL':
        res.redirect(303, `/rounds/${id}/verify/code?channel=${method}`);
        return;
      case 'REGISTER':
        res.redirect(303, `/rounds/${id}/verify/register`);
        return;
      case 'IN_PERSON':
        res.redirect(303, `/rounds/${id}/verify/in-person`);
        return;
      default:
        await methodPage(req, res, new FormErrors().add('method', res.locals.t.verify.errorMethod));
    }
  });

  const channelOf = (v: unknown): CodeChannel => (v === 'SMS' ? 'SMS' : 'EMAIL');

  r.get('/rounds/:id/verify/code', async (req, res) => {
    const { round } = await load(req);
    const channel = channelOf(req.query.channel);
    res.render('pages/verify-send', { pageTitle: channel === 'SMS' ? res.locals.t.verify.smsLabel : res.locals.t.verify.emailLabel, round, channel, values: {}, backLink: `/rounds/${round.id}/verify/method` });
  });

  r.post('/rounds/:id/verify/code', async (req, res) => {
    const { round } = await load(req);
    const t = res.locals.t;
    const channel = channelOf(str(req.body, 'channel'));
    const to = str(req.body, 'to');
    const errors = new FormErrors();
    if (!to) errors.add('to', t.verify.errorTo);
    else {
      try {
        await req.api.request(RequestVerificationCodeDocument, { roundId: round.id, channel, to }, ctx(req));
        res.render('pages/verify-code', { pageTitle: t.verify.codeTitle, round, channel, to, values: {} });
        return;
      } catch (e) {
        addApiError(errors, e, apiErrors(res, 'to'));
      }
    }
    res.status(400).render('pages/verify-send', { pageTitle: channel === 'SMS' ? t.verify.smsLabel : t.verify.emailLabel, round, channel, values: { to }, errors, backLink: `/rounds/${round.id}/verify/method` });
  });

  r.post('/rounds/:id/verify/confirm', async (req, res) => {
    const { round } = await load(req);
    const t = res.locals.t;
    const channel = channelOf(str(req.body, 'channel'));
    const to = str(req.body, 'to');
    const code = typedCode(req.body);
    const errors = new FormErrors();
    if (!code) errors.add('code', t.verify.errorCode);
    else {
      try {
        const { confirmVerificationCode } = await req.api.request(ConfirmVerificationCodeDocument, { roundId: round.id, channel, to, code }, ctx(req));
        if (confirmVerificationCode.verified || confirmVerificationCode.held) {
          res.redirect(303, `/rounds/${round.id}/verify`);
          return;
        }
        // The code was right, but the round needs one more proof: say so
        // above the ways that are left.
        setFlash(res, channel === 'SMS' ? 'verify.phoneConfirmed' : 'verify.emailConfirmed');
        res.redirect(303, `/rounds/${round.id}/verify/method`);
        return;
      } catch (e) {
        addApiError(errors, e, apiErrors(res, 'code'));
      }
    }
    res.status(400).render('pages/verify-code', { pageTitle: t.verify.codeTitle, round, channel, to, values: { code }, errors });
  });

  r.get('/rounds/:id/verify/register', async (req, res) => {
    const { round } = await load(req);
    if (!round.registerAvailable) {
      // No register to check yet: the check could only fail.
      res.redirect(`/rounds/${round.id}/verify/method`);
      return;
    }
    res.render('pages/verify-register', { pageTitle: res.locals.t.verify.registerTitle, round, backLink: `/rounds/${round.id}/verify/method` });
  });

  r.post('/rounds/:id/verify/register', async (req, res) => {
    const id = String(req.params.id);
    try {
      const { matchRegister } = await req.api.request(MatchRegisterDocument, { roundId: id }, ctx(req));
      res.redirect(303, matchRegister.verified ? `/rounds/${id}/verify` : `/rounds/${id}/verify/method`);
    } catch (e) {
      await methodPage(req, res, addApiError(new FormErrors(), e, apiErrors(res, 'method', { rethrow: ['INTERNAL'] })));
    }
  });

  // Someone who gave their details online shows the officer the reference
  // on this page, so that the officer's check completes their own record.
  r.get('/rounds/:id/verify/in-person', async (req, res) => {
    const { round, mine } = await load(req);
    if (mine?.verified || mine?.held) {
      res.redirect(`/rounds/${round.id}/verify`);
      return;
    }
    res.render('pages/verify-in-person', {
      pageTitle: res.locals.t.verify.inPersonTitle,
      round,
      reference: mine?.inPersonReference ?? null,
      backLink: `/rounds/${round.id}/verify/method`,
    });
  });

  return r;
}
