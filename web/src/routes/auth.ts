// Signing in with a code by email. The API's session token is kept in this
// server's own HttpOnly cookie and never reaches the browser's JavaScript.
import { Router, type CookieOptions } from 'express';
import { COOKIES, ctx } from '../app.js';
import { apiLanguage, webLanguage } from '../i18n/index.js';
import { ApiError } from '../graphql/client.js';
import { RequestSignInCodeDocument, SignInDocument, SignOutDocument } from '../graphql/generated/graphql.js';
import { FormErrors, str } from '../lib/forms.js';
import { localPath } from '../lib/safe-redirect.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function authRoutes(cookieBase: CookieOptions) {
  const r = Router();

  r.get('/sign-in', (req, res) => {
    const next = localPath(req.query.next, '/account');
    res.render('pages/sign-in-email', { pageTitle: res.locals.t.signIn.emailTitle, next, values: {}, backLink: '/' });
  });

  r.post('/sign-in', async (req, res) => {
    const t = res.locals.t;
    const email = str(req.body, 'email');
    const next = localPath(str(req.body, 'next'), '/account');
    const errors = new FormErrors();
    if (!email) errors.add('email', t.signIn.errorEmailEmpty);
    else if (!EMAIL.test(email)) errors.add('email', t.signIn.errorEmailInvalid);
    if (!errors.any) {
      try {
        await req.api.request(RequestSignInCodeDocument, { email, language: apiLanguage(req.lang) }, ctx(req));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        errors.add('email', t.api[e.code] ?? e.errors[0]?.message ?? e.code);
      }
    }
    if (errors.any) {
      res.status(400).render('pages/sign-in-email', { pageTitle: t.signIn.emailTitle, next, errors, values: { email }, backLink: '/' });
      return;
    }
    res.render('pages/sign-in-code', { pageTitle: t.signIn.codeTitle, email, next, values: {} });
  });

  r.post('/sign-in/code', async (req, res) => {
    const t = res.locals.t;
    const email = str(req.body, 'email');
    const code = str(req.body, 'code').replace(/\s+/g, '');
    const next = localPath(str(req.body, 'next'), '/account');
    const errors = new FormErrors();
    if (!code) errors.add('code', t.signIn.errorCodeEmpty);
    else {
      try {
        const { signIn } = await req.api.request(SignInDocument, { email, code, language: apiLanguage(req.lang) }, ctx(req));
        const maxAge = Math.max(0, new Date(signIn.expiresAt).getTime() - Date.now());
        res.cookie(COOKIES.session, signIn.token, { ...cookieBase, maxAge });
        // The session reads the language the account chose (a new account
        // took this page's).
        res.cookie(COOKIES.lang, webLanguage(signIn.account.language), { ...cookieBase, maxAge: 365 * 24 * 3600 * 1000 });
        res.redirect(303, next);
        return;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        errors.add('code', t.api[e.code] ?? t.signIn.errorCodeWrong);
      }
    }
    res.status(400).render('pages/sign-in-code', { pageTitle: t.signIn.codeTitle, email, next, errors, values: { code } });
  });

  const signOut = async (req: import('express').Request, res: import('express').Response) => {
    if (req.token) {
      await req.api.request(SignOutDocument, {}, ctx(req)).catch(() => undefined);
    }
    res.clearCookie(COOKIES.session, cookieBase);
    res.redirect(303, '/');
  };
  // A link in the footer works without JavaScript; a GET that only ends the
  // session cannot harm anyone if forged, so both are accepted.
  r.get('/sign-out', signOut);
  r.post('/sign-out', signOut);

  return r;
}
