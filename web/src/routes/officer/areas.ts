// Areas: setting one up, changing its name, kind, description and coverage.
import { Router, type Request } from 'express';
import { AreaEditDocument, CreateAreaDocument, SetAreaCoverageDocument, UpdateAreaDocument } from '../../graphql/generated/graphql.js';
import { allPages } from '../../graphql/pages.js';
import { addApiError } from '../../forms/api-error.js';
import { parseArea } from '../../forms/officer.js';
import { staffFieldOf } from '../../forms/rounds.js';
import { setFlash } from '../../lib/flash.js';
import { renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';

/** The area named in the address, with all of its coverage. */
async function loadArea(req: Request) {
  const id = String(req.params.id);
  const { area } = await req.api.request(AreaEditDocument, { id }, ctx(req));
  const coverage = [...area.coverage.nodes];
  if (area.coverage.pageInfo.hasNextPage && area.coverage.pageInfo.endCursor) {
    coverage.push(...(await allPages(async (after) => (await req.api.request(AreaEditDocument, { id, after }, ctx(req))).area.coverage, area.coverage.pageInfo.endCursor)));
  }
  return { id: area.id, name: area.name, kind: area.kind, description: area.description, nameCy: area.nameCy ?? '', descriptionCy: area.descriptionCy ?? '', coverage };
}

const apiErrors = { field: 'coverage', fieldOf: staffFieldOf, every: true };

export function areaRoutes() {
  const r = Router();

  r.get('/officer/areas/new', (req, res) => renderStaff(res, 'staff/area-form', { pageTitle: 'Set up an area', values: {}, backLink: '/officer' }));
  r.post('/officer/areas/new', async (req, res) => {
    const { values, errors, input } = parseArea(req.body, { isNew: true });
    if (input) {
      try {
        await req.api.request(CreateAreaDocument, { input: { ...input.details, coverage: input.coverage } }, ctx(req));
        setFlash(res, 'officer.areaSaved');
        res.redirect(303, '/officer');
        return;
      } catch (e) {
        addApiError(errors, e, apiErrors);
      }
    }
    renderStaff(res, 'staff/area-form', { pageTitle: 'Set up an area', values, errors, backLink: '/officer' }, 400);
  });

  r.get('/officer/areas/:id', async (req, res) => {
    const area = await loadArea(req);
    renderStaff(res, 'staff/area-form', { pageTitle: `Change ${area.name}`, area, values: { ...area, coverage: area.coverage.join('\n') }, backLink: '/officer' });
  });
  r.post('/officer/areas/:id', async (req, res) => {
    const area = await loadArea(req);
    const { values, errors, input } = parseArea(req.body, { isNew: false });
    if (input) {
      try {
        const { details, coverage } = input;
        const changed = (['name', 'kind', 'description', 'nameCy', 'descriptionCy'] as const).some((k) => details[k] !== area[k]);
        if (changed) {
          await req.api.request(UpdateAreaDocument, { areaId: area.id, input: details }, ctx(req));
        }
        if (coverage.join('\n') !== area.coverage.join('\n')) {
          await req.api.request(SetAreaCoverageDocument, { areaId: area.id, coverage }, ctx(req));
        }
        setFlash(res, 'officer.areaSaved');
        res.redirect(303, '/officer');
        return;
      } catch (e) {
        addApiError(errors, e, apiErrors);
      }
    }
    renderStaff(res, 'staff/area-form', { pageTitle: `Change ${area.name}`, area, values, errors, backLink: '/officer' }, 400);
  });

  return r;
}
