// The web server: pages rendered on the server from the GraphQL API, forms
// posted back to it. JavaScript in the browser only improves pages that
// already work without it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import type { Config } from './config.js';
import { createClient, type GraphQLClient } from './graphql/client.js';
import { MeDocument, SetLanguageDocument } from './graphql/generated/graphql.js';
import { apiLanguage, fmt, isLang, plural, webLanguage, type Lang } from './i18n/index.js';
import { formatDate, formatDateTime } from './lib/dates.js';
import { formatPence } from './lib/money.js';
import { requestLog } from './lib/log.js';
import { potChart } from './lib/chart.js';
import { categoryName, written, writtenHtml } from './lib/welsh.js';
import { takeFlash } from './lib/flash.js';
import { reminderContact } from './view-models/reminders.js';
import { formBodies } from './http/bodies.js';
import { cacheDefaults } from './http/cache.js';
import { csrf } from './http/csrf.js';
import { errorHandlers } from './http/errors.js';
import { setPageLocals } from './http/locals.js';
import { apiProxy } from './http/proxy.js';
import { COOKIES, cookieOptions, crossSite } from './http/request.js';
import { publicRoutes } from './routes/public.js';
import { infoRoutes } from './routes/info.js';
import { roundRoutes } from './routes/round.js';
import { authRoutes } from './routes/auth.js';
import { verifyRoutes } from './routes/verify.js';
import { reminderRoutes } from './routes/reminders.js';
import { voteRoutes } from './routes/vote.js';
import { accountRoutes } from './routes/account.js';
import { groupRoutes } from './routes/groups/index.js';
import { officerRoutes } from './routes/officer/index.js';
import { resultRoutes } from './routes/results.js';
import { participationPublicRoutes } from './routes/participation.js';
import { deliveryRoutes, photoRoutes } from './routes/delivery.js';
import { devRoutes } from './routes/dev.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  config: Config;
  /** Replaced in tests; defaults to the real API at config.apiUrl. */
  client?: GraphQLClient;
}

export function createApp({ config, client }: AppDeps) {
  const app = express();
  const api = client ?? createClient(config.apiUrl);
  const dev = config.environment === 'development';
  app.disable('x-powered-by');
  app.locals.secureCookies = config.secureCookies;
  app.set('trust proxy', config.trustProxy);

  // The demo's one address: /graphql, /health, the published result files,
  // the photos of delivery updates, the council's signing key and the phone
  // webhooks go on to the API untouched (before any body is read, so the
  // request body streams through), bodies too large for it refused.
  if (config.forwardApi) app.use(apiProxy(config.apiUrl));

  app.use(requestLog);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          ...(dev ? {} : { upgradeInsecureRequests: [] }),
        },
      },
      // Browsers would remember HSTS for 127.0.0.1 and the demo runs over http.
      strictTransportSecurity: dev ? false : { maxAge: 31536000, includeSubDomains: true },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );

  app.use('/assets', express.static(path.join(ROOT, 'public'), { maxAge: dev ? 0 : '1d', index: false }));
  // Pages: `private, no-store` unless a route says otherwise (http/cache.ts).
  // Express's weak ETag, a hash of each page, answers a repeated request with a 304.
  app.set('etag', 'weak');
  app.use(cacheDefaults());
  app.use(cookieParser());

  const cookieBase = cookieOptions(config.secureCookies);

  // Language: ?lang= switches and is remembered (the cookie is set only when
  // it changes, and then the page is not kept by shared caches); otherwise
  // the cookie; English by default.
  // A feed's language is in its address alone (routes/delivery.ts): feed
  // readers keep no cookie, and setting one would keep every answer out of
  // shared caches.
  app.use((req, res, next) => {
    const q = req.query.lang;
    let lang: Lang = 'en';
    if (isLang(q)) {
      lang = q;
      const feed = req.path.endsWith('.atom');
      if (!feed && req.cookies?.[COOKIES.lang] !== q) res.cookie(COOKIES.lang, q, { ...cookieBase, maxAge: 365 * 24 * 3600 * 1000 });
    } else if (isLang(req.cookies?.[COOKIES.lang])) {
      lang = req.cookies[COOKIES.lang] as Lang;
    }
    req.lang = lang;
    next();
  });

  // Forms, urlencoded or multipart, are read before the CSRF check below.
  app.use(formBodies());

  // Every POST, PUT, PATCH and DELETE needs the form's token. The token and
  // the visitor id it is tied to are made only for a page with a form.
  const forms = csrf(config.secret, cookieBase);
  app.use(forms.protect);

  // Who is signed in: the API token lives only in this server's HttpOnly cookie.
  app.use(async (req, res, next) => {
    req.api = api;
    const token = req.cookies?.[COOKIES.session];
    req.token = typeof token === 'string' && token ? token : undefined;
    req.me = null;
    if (req.token) {
      try {
        const data = await api.request(MeDocument, {}, { token: req.token, clientIp: req.ip });
        req.me = data.me ?? null;
        if (!req.me) {
          req.token = undefined;
          res.clearCookie(COOKIES.session, cookieBase);
        } else if (isLang(req.query.lang) && webLanguage(req.me.language) !== req.query.lang && !crossSite(req)) {
          // The language switch, signed in: the account keeps the choice for
          // the emails and texts we send. A link from another site changes
          // only this browser's pages.
          await api.request(SetLanguageDocument, { language: apiLanguage(req.query.lang) }, { token: req.token, clientIp: req.ip });
        }
      } catch (e) {
        next(e);
        return;
      }
    }
    next();
  });

  // What every page needs.
  app.use((req, res, next) => {
    setPageLocals(req, res, config);
    res.locals.flash = req.method === 'GET' ? takeFlash(req, res, res.locals.t) : undefined;
    next();
  });
  app.use(forms.formToken);

  const env = nunjucks.configure([path.join(ROOT, 'views'), path.join(ROOT, 'node_modules/govuk-frontend/dist')], {
    autoescape: true,
    express: app,
    noCache: dev,
  });
  env.addFilter('fmt', (s: string, values: Record<string, string | number>) => fmt(String(s ?? ''), values ?? {}));
  env.addFilter('plural', function (this: { ctx: { lang: string } }, forms, count: number) {
    return plural(this.ctx.lang, forms, count);
  });
  env.addFilter('pence', function (this: { ctx: { lang: string } }, pence: number) {
    return formatPence(Number(pence), this.ctx.lang);
  });
  env.addFilter('date', function (this: { ctx: { lang: string } }, iso: string) {
    return formatDate(iso, this.ctx.lang);
  });
  env.addFilter('datetime', function (this: { ctx: { lang: string } }, iso: string) {
    return formatDateTime(iso, this.ctx.lang);
  });
  env.addFilter('potChart', potChart);
  // Council- and group-written words in the page's language (lib/welsh.ts):
  // `{{ round | w('title') }}` in a page, with English kept on a Welsh page
  // marked lang="en"; `round | written('title')` as plain text, for a
  // macro's `text` or an attribute.
  env.addFilter('w', function (this: { ctx: { lang: Lang } }, item: Record<string, unknown>, field: string) {
    return new nunjucks.runtime.SafeString(writtenHtml(item, field, this.ctx.lang));
  });
  // A bid category in the page's language: `{{ bid.category | category }}`.
  env.addFilter('category', function (this: { ctx: { t: { categories: Record<string, string> } } }, key: string) {
    return categoryName(this.ctx.t.categories, key);
  });
  env.addFilter('written', function (this: { ctx: { lang: Lang } }, item: Record<string, unknown>, field: string) {
    return written(item, field, this.ctx.lang);
  });
  // Where reminders go, after "by post to the address with the postcode": `{{ r | reminderContact }}`.
  env.addFilter('reminderContact', reminderContact);
  app.set('view engine', 'njk');

  app.use(publicRoutes(config));
  app.use(infoRoutes());
  app.use(roundRoutes());
  app.use(authRoutes(cookieBase));
  app.use(verifyRoutes());
  app.use(reminderRoutes());
  app.use(voteRoutes());
  app.use(accountRoutes(cookieBase));
  app.use(groupRoutes());
  app.use(officerRoutes());
  app.use(resultRoutes());
  app.use(participationPublicRoutes());
  app.use(deliveryRoutes(config));
  // Forwarding, the proxy above has sent photos on to the API already.
  if (!config.forwardApi) app.use(photoRoutes(config));
  if (dev) app.use(devRoutes(config));

  app.use(errorHandlers(config));
  return app;
}
