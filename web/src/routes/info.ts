// The information pages a council publishes, in English and Welsh, linked
// from every page's footer: the accessibility statement, the privacy
// notice, cookies, contact and help, and how to take part in Easy Read.
// Their numbers and addresses come from the configuration (config.ts).
import { Router, type Response } from 'express';
import { publicPage } from '../http/cache.js';
import { COOKIES } from '../http/request.js';
import { formatDate } from '../lib/dates.js';
import type { Dictionary } from '../i18n/index.js';

/**
 * When the accessibility statement was prepared and the website last
 * tested against it. Change these when the statement is reviewed.
 */
export const STATEMENT_PREPARED = '2026-12-07';
export const STATEMENT_TESTED = '2026-12-07';
/** When the privacy notice last changed. */
export const PRIVACY_UPDATED = '2026-12-07';

/** The values the pages' texts put in: the council's and service's names, its numbers and addresses. */
function values(res: Response): Record<string, string | number> {
  const config = res.locals.config as Record<string, string | number>;
  return {
    council: config.councilName ?? '',
    service: config.serviceName ?? '',
    helpLine: config.helpLine ?? '',
    helpEmail: config.helpEmail ?? '',
    sms: config.smsNumber ?? '',
    voice: config.voiceNumber ?? '',
    places: config.inPersonPlaces ?? '',
    days: config.retentionDays ?? '',
  };
}

/** The cookies the web client and the API set, with what each is for and when it goes. */
export function cookieList(t: Dictionary['info']['cookies']) {
  return [
    { name: COOKIES.session, purpose: t.session, expires: t.sessionExpires },
    { name: COOKIES.visitor, purpose: t.visitor, expires: t.visitorExpires },
    { name: COOKIES.csrf, purpose: t.csrf, expires: t.csrfExpires },
    { name: COOKIES.lang, purpose: t.lang, expires: t.langExpires },
    { name: COOKIES.flash, purpose: t.flash, expires: t.flashExpires },
    // Set by the API's signIn mutation, for programs that call it directly.
    { name: 'fairshare_session', purpose: t.api, expires: t.apiExpires },
  ];
}

export function infoRoutes() {
  const r = Router();

  r.get('/accessibility', (req, res) => {
    const t = res.locals.t as Dictionary;
    publicPage(req, res, 'public');
    res.render('pages/accessibility', {
      pageTitle: t.info.accessibility.title,
      v: values(res),
      prepared: formatDate(STATEMENT_PREPARED, req.lang),
      tested: formatDate(STATEMENT_TESTED, req.lang),
    });
  });

  r.get('/privacy', (req, res) => {
    const t = res.locals.t as Dictionary;
    publicPage(req, res, 'public');
    res.render('pages/privacy', { pageTitle: t.info.privacy.title, v: values(res), updated: formatDate(PRIVACY_UPDATED, req.lang) });
  });

  r.get('/cookies', (req, res) => {
    const t = res.locals.t as Dictionary;
    publicPage(req, res, 'public');
    res.render('pages/cookies', { pageTitle: t.info.cookies.title, v: values(res), cookies: cookieList(t.info.cookies) });
  });

  r.get('/contact', (req, res) => {
    const t = res.locals.t as Dictionary;
    publicPage(req, res, 'public');
    res.render('pages/contact', { pageTitle: t.info.contact.title, v: values(res) });
  });

  r.get('/easy-read', (req, res) => {
    const t = res.locals.t as Dictionary;
    publicPage(req, res, 'public');
    res.render('pages/easy-read', { pageTitle: t.info.easyRead.title, v: values(res) });
  });

  return r;
}
