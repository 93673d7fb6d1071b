// Proving that you may vote in a round, in each way the round accepts:
// your details first, then a code by text or email, the council's register,
// or an officer in person.
import { Router, type Request, type Response } from 'express';
import { ctx, requireSignIn } from '../app.js';
import { ApiError } from '../graphql/client.js';
import {
  ConfirmVerificationCodeDocument,
  DeclareEligibilityDocument,
  MatchRegisterDocument,
  RequestVerificationCodeDocument,
  VerifyRoundDocument,
  type CodeChannel,
  type Relation,
} from '../graphql/generated/graphql.js';
import { dateFromParts } from '../lib/dates.js';
import { FormErrors, str } from '../lib/forms.js';

async function load(req: Request) {
  const data = await req.api.request(VerifyRoundDocument, { id: String(req.params.id) }, ctx(req));
  const mine = data.myVerifications.find((v) => v.roundId === data.round.id) ?? null;
  return { round: data.round, mine };
}

function apiMessage(res: Response, e: ApiError): string {
  return res.locals.t.api[e.code] ?? e.errors[0]?.message ?? e.code;
}

export function verifyRoutes() {
  const r = Router();
  r.use('/rounds/:id/verify', requireSignIn);

  r.get('/rounds/:id/verify', async (req, res) => {
    const { round, mine } = await load(req);
    const t = res.locals.t;
    if (mine?.verified) {
      res.render('pages/verify-done', { pageTitle: t.verify.verifiedTitle, round, mine });
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
    const values = {
      name: str(req.body, 'name'),
      day: str(req.body, 'dob-day'),
      month: str(req.body, 'dob-month'),
      year: str(req.body, 'dob-year'),
      postcode: str(req.body, 'postcode'),
      relation: str(req.body, 'relation') || (round.eligibility.relations.length === 1 ? round.eligibility.relations[0] : ''),
    };
    const errors = new FormErrors();
    if (!values.name) errors.add('name', t.verify.errorName);
    const dob = dateFromParts(values.day, values.month, values.year);
    if (!dob) errors.add('dob-day', t.verify.errorDob);
    if (!values.postcode) errors.add('postcode', t.verify.errorPostcode);
    if (!round.eligibility.relations.includes(values.relation as Relation)) errors.add('relation', t.verify.errorRelation);
    if (!errors.any && dob) {
      try {
        const { declareEligibility } = await req.api.request(
          DeclareEligibilityDocument,
          { roundId: round.id, person: { name: values.name, dateOfBirth: dob, postcode: values.postcode, relation: values.relation as Relation } },
          ctx(req),
        );
        res.redirect(303, declareEligibility.verified ? `/rounds/${round.id}/verify` : `/rounds/${round.id}/verify/method`);
        return;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const field = { NOT_IN_AREA: 'postcode', INVALID_POSTCODE: 'postcode', TOO_YOUNG: 'dob-day', RELATION_NOT_ACCEPTED: 'relation' }[e.code] ?? 'name';
        errors.add(field, apiMessage(res, e));
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
    const methods = round.eligibility.methods.filter((m) => m !== 'POSTCODE');
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
        if (!(e instanceof ApiError)) throw e;
        errors.add('to', apiMessage(res, e));
      }
    }
    res.status(400).render('pages/verify-send', { pageTitle: channel === 'SMS' ? t.verify.smsLabel : t.verify.emailLabel, round, channel, values: { to }, errors, backLink: `/rounds/${round.id}/verify/method` });
  });

  r.post('/rounds/:id/verify/confirm', async (req, res) => {
    const { round } = await load(req);
    const t = res.locals.t;
    const channel = channelOf(str(req.body, 'channel'));
    const to = str(req.body, 'to');
    const code = str(req.body, 'code').replace(/\s+/g, '');
    const errors = new FormErrors();
    if (!code) errors.add('code', t.verify.errorCode);
    else {
      try {
        const { confirmVerificationCode } = await req.api.request(ConfirmVerificationCodeDocument, { roundId: round.id, channel, to, code }, ctx(req));
        res.redirect(303, confirmVerificationCode.verified ? `/rounds/${round.id}/verify` : `/rounds/${round.id}/verify/method`);
        return;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        errors.add('code', apiMessage(res, e));
      }
    }
    res.status(400).render('pages/verify-code', { pageTitle: t.verify.codeTitle, round, channel, to, values: { code }, errors });
  });

  r.get('/rounds/:id/verify/register', async (req, res) => {
    const { round } = await load(req);
    res.render('pages/verify-register', { pageTitle: res.locals.t.verify.registerTitle, round, backLink: `/rounds/${round.id}/verify/method` });
  });

  r.post('/rounds/:id/verify/register', async (req, res) => {
    const id = String(req.params.id);
    try {
      const { matchRegister } = await req.api.request(MatchRegisterDocument, { roundId: id }, ctx(req));
      res.redirect(303, matchRegister.verified ? `/rounds/${id}/verify` : `/rounds/${id}/verify/method`);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
      await methodPage(req, res, new FormErrors().add('method', apiMessage(res, e)));
    }
  });

  r.get('/rounds/:id/verify/in-person', async (req, res) => {
    const { round } = await load(req);
    res.render('pages/verify-in-person', { pageTitle: res.locals.t.verify.inPersonTitle, round, backLink: `/rounds/${round.id}/verify/method` });
  });

  return r;
}
