// Signing in with a code by email. The API's session token is kept in this
// server's own HttpOnly cookie and never reaches the browser's JavaScript.
import { Router, type CookieOptions } from 'express';
import { COOKIES, ctx } from '../http/request.js';
import { apiLanguage, webLanguage } from '../i18n/index.js';
import { addApiError } from '../forms/api-error.js';
import { RequestSignInCodeDocument, SignInDocument, SignOutDocument } from '../graphql/generated/graphql.js';
import { FormErrors, str } from '../lib/forms.js';
import { CODE_LIFETIME_MINUTES, parseSignInEmail, typedCode } from '../forms/residents.js';
import { localPath } from '../lib/safe-redirect.js';
import type { Role } from '../graphql/generated/graphql.js';

/**
 * Where someone lands after signing in when no page asked for them: an
 * admin on the roles page, the admins' own; other staff (officers and
 * councillors) on the staff pages; everyone else on their account.
 */
export function homeFor(roles: readonly Role[]): string {
  if (roles.includes('ADMIN')) return '/officer/roles';
  if (roles.length > 0) return '/officer';
  return '/account';
}

export function authRoutes(cookieBase: CookieOptions) {
  const r = Router();

  // `next` is empty when no page asked: the landing then depends on who
  // signs in (homeFor). Any other value is a path on this site, never
  // another site's address.
  r.get('/sign-in', (req, res) => {
    const next = localPath(req.query.next, '');
    res.render('pages/sign-in-email', { pageTitle: res.locals.t.signIn.emailTitle, next, values: {}, backLink: '/' });
  });

  r.post('/sign-in', async (req, res) => {
    const t = res.locals.t;
    const { values, errors } = parseSignInEmail(req.body, t);
    const { email } = values;
    const next = localPath(str(req.body, 'next'), '');
    if (!errors.any) {
      try {
        await req.api.request(RequestSignInCodeDocument, { email, language: apiLanguage(req.lang) }, ctx(req));
      } catch (e) {
        addApiError(errors, e, { field: 'email', messages: t.api, rethrow: [] });
      }
    }
    if (errors.any) {
      res.status(400).render('pages/sign-in-email', { pageTitle: t.signIn.emailTitle, next, errors, values: { email }, backLink: '/' });
      return;
    }
    res.render('pages/sign-in-code', { pageTitle: t.signIn.codeTitle, email, next, minutes: CODE_LIFETIME_MINUTES, values: {} });
  });

  r.post('/sign-in/code', async (req, res) => {
    const t = res.locals.t;
    const email = str(req.body, 'email');
    const code = typedCode(req.body);
    const next = localPath(str(req.body, 'next'), '');
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
        res.redirect(303, next || homeFor(signIn.account.roles));
        return;
      } catch (e) {
        addApiError(errors, e, { field: 'code', messages: t.api, text: () => t.signIn.errorCodeWrong, rethrow: [] });
      }
    }
    res.status(400).render('pages/sign-in-code', { pageTitle: t.signIn.codeTitle, email, next, minutes: CODE_LIFETIME_MINUTES, errors, values: { code } });
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
