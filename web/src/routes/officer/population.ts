// The population and deprivation figures that participation is set
// against: each area's population by age and the deprivation look-up in
// use (officers and councillors), and importing them (officers). In the
// page's language: every word is in the dictionaries' `population`. The
// files come in multipart forms read with their limits before the CSRF
// check (http/bodies.ts).
import { Router, type Request, type Response } from 'express';
import {
  AreaPopulationDocument,
  DeprivationLookupStatusDocument,
  ImportDeprivationDocument,
  ImportPopulationDocument,
  PopulationAreasDocument,
} from '../../graphql/generated/graphql.js';
import { allPages } from '../../graphql/pages.js';
import { DEPRIVATION_FIELDS, POPULATION_FIELDS, addImportError, parseDeprivationImport, parsePopulationImport, type Upload } from '../../forms/population.js';
import type { Dictionary } from '../../i18n/index.js';
import { setFlash } from '../../lib/flash.js';
import type { FormErrors } from '../../lib/forms.js';
import { formStatus, renderStaffPage } from '../../http/render.js';
import { ctx } from '../../http/request.js';
import { areaPopulationView, count } from '../../view-models/participation.js';

const HOME = '/officer/population';

function words(res: Response): Dictionary {
  return res.locals.t as Dictionary;
}

function isOfficer(req: Request): boolean {
  const roles = req.me?.roles ?? [];
  return roles.includes('OFFICER') || roles.includes('ADMIN');
}

/** Imports are for officers: anyone else sees the not-allowed page. */
function officersOnly(req: Request, res: Response): boolean {
  if (isOfficer(req)) return true;
  const t = words(res);
  res.status(403).render('pages/error', { title: t.errors.notAllowedTitle, text: t.errors.notAllowedText });
  return false;
}

async function importPage(req: Request, res: Response, form: { values?: Record<string, string>; errors?: FormErrors } = {}) {
  const t = words(res);
  const { area } = await req.api.request(AreaPopulationDocument, { id: String(req.params.id) }, ctx(req));
  renderStaffPage(
    res,
    'staff/population-import',
    { pageTitle: t.population.importTitle, area: areaPopulationView(area, t), values: form.values ?? {}, errors: form.errors, backLink: HOME },
    formStatus(form.errors),
  );
}

function deprivationPage(res: Response, form: { values?: Record<string, string>; errors?: FormErrors } = {}) {
  const t = words(res);
  renderStaffPage(res, 'staff/deprivation-import', { pageTitle: t.population.deprivationTitle, values: form.values ?? {}, errors: form.errors, backLink: HOME }, formStatus(form.errors));
}

/** The files of a form with several (http/bodies.ts), by field. */
function uploaded(req: Request, field: string): Upload | undefined {
  const files = req.files as Record<string, Upload[]> | undefined;
  return files && !Array.isArray(files) ? files[field]?.[0] : undefined;
}

export function populationRoutes() {
  const r = Router();

  r.get(HOME, async (req, res) => {
    const t = words(res);
    const [areas, { deprivationLookup }] = await Promise.all([
      allPages(async (after) => (await req.api.request(PopulationAreasDocument, { after }, ctx(req))).areas),
      req.api.request(DeprivationLookupStatusDocument, {}, ctx(req)),
    ]);
    renderStaffPage(res, 'staff/population', {
      pageTitle: t.population.title,
      areas: areas.map((a) => areaPopulationView(a, t)),
      lookup: deprivationLookup
        ? {
            ...deprivationLookup,
            postcodesText: count(deprivationLookup.postcodes, t.lang),
            neighbourhoodsText: count(deprivationLookup.neighbourhoods, t.lang),
            withoutText: count(deprivationLookup.postcodesWithoutDecile, t.lang),
          }
        : null,
      backLink: '/officer',
    });
  });

  // An area's population: the ONS mid-year estimates, replacing those in use.
  r.get(`${HOME}/areas/:id`, async (req, res) => {
    if (officersOnly(req, res)) await importPage(req, res);
  });
  r.post(`${HOME}/areas/:id`, async (req, res) => {
    if (!officersOnly(req, res)) return;
    const t = words(res);
    const { values, errors, input } = parsePopulationImport(req.body, req.file, String(req.params.id), t);
    if (input) {
      try {
        await req.api.request(ImportPopulationDocument, { input }, ctx(req));
        setFlash(res, 'population.populationImported');
        res.redirect(303, HOME);
        return;
      } catch (e) {
        addImportError(errors, e, POPULATION_FIELDS, t);
      }
    }
    await importPage(req, res, { values, errors });
  });

  // The postcode look-up and the deciles, together.
  r.get(`${HOME}/deprivation`, (req, res) => {
    if (officersOnly(req, res)) deprivationPage(res);
  });
  r.post(`${HOME}/deprivation`, async (req, res) => {
    if (!officersOnly(req, res)) return;
    const t = words(res);
    const { values, errors, input } = parseDeprivationImport(req.body, { postcodes: uploaded(req, 'postcodes'), deciles: uploaded(req, 'deciles') }, t);
    if (input) {
      try {
        await req.api.request(ImportDeprivationDocument, { input }, ctx(req));
        setFlash(res, 'population.deprivationImported');
        res.redirect(303, HOME);
        return;
      } catch (e) {
        addImportError(errors, e, DEPRIVATION_FIELDS, t);
      }
    }
    deprivationPage(res, { values, errors });
  });

  return r;
}
