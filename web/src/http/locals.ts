// What every page's frame needs: the language and its switch, who is
// signed in, the council's and service's names, how to reach the council.
import type { Request, Response } from 'express';
import type { Config } from '../config.js';
import { dictionaries, type Lang } from '../i18n/index.js';

/** Sets the page frame's values on res.locals; error pages use them too. */
export function setPageLocals(req: Request, res: Response, config: Config) {
  const lang: Lang = req.lang ?? 'en';
  const t = dictionaries[lang];
  const other: Lang = lang === 'en' ? 'cy' : 'en';
  const url = new URL(req.originalUrl, 'http://x');
  url.searchParams.set('lang', other);
  const here = new URL(req.originalUrl, 'http://x');
  here.searchParams.delete('lang');
  const me = req.me ?? null;
  Object.assign(res.locals, {
    t,
    lang,
    otherLang: other,
    otherLangName: dictionaries[other].languageName,
    otherLangDescription: dictionaries[other].common.changeLanguage,
    langSwitchHref: url.pathname + url.search,
    currentPath: here.pathname + here.search,
    me,
    isOfficer: me?.roles.includes('OFFICER') || me?.roles.includes('ADMIN'),
    isCouncillor: me?.roles.includes('COUNCILLOR'),
    isAdmin: me?.roles.includes('ADMIN'),
    config: {
      councilName: lang === 'cy' ? config.councilNameCy : config.councilName,
      serviceName: lang === 'cy' ? config.serviceNameCy : config.serviceName,
      demo: config.demo,
      devMessages: Boolean(config.devMailDir || config.devSmsDir || config.devLetterDir),
      helpLine: config.contact.helpLine,
      smsNumber: config.contact.smsNumber,
      voiceNumber: config.contact.voiceNumber,
      helpEmail: config.contact.helpEmail,
      inPersonPlaces: lang === 'cy' ? config.contact.inPersonPlacesCy : config.contact.inPersonPlaces,
      retentionDays: config.verificationRetentionDays,
    },
  });
}
