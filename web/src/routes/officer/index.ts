// Staff pages (in English, but for the rule simulator and the population,
// participation and delivery pages, which follow the page's language): areas,
// rounds and their settings, reviewing bids, the register, in-person
// verification, voting-code letters, paper ballot forms returned by post,
// turnout; councillors publish results; staff compare counting rules; the
// population and deprivation figures, who is taking part in a round, and
// what happened to a published round's money (delivery).
// Each area of work is its own module.
import { Router } from 'express';
import { OfficerAreasDocument, OfficerRoundsDocument } from '../../graphql/generated/graphql.js';
import { allPages } from '../../graphql/pages.js';
import { renderStaff } from '../../http/render.js';
import { ctx, requireOfficer } from '../../http/request.js';
import { areaRoutes } from './areas.js';
import { deliveryStaffRoutes } from './delivery.js';
import { letterRoutes } from './letters.js';
import { paperFormRoutes } from './paper-forms.js';
import { participationRoutes } from './participation.js';
import { populationRoutes } from './population.js';
import { staffResultRoutes } from './results.js';
import { reviewRoutes } from './review.js';
import { roleRoutes } from './roles.js';
import { roundRoutes } from './rounds.js';
import { simulationRoutes } from './simulation.js';
import { verificationRoutes } from './verification.js';

export function officerRoutes() {
  const r = Router();
  r.use('/officer', requireOfficer);

  r.get('/officer', async (req, res) => {
    const [rounds, areas] = await Promise.all([
      allPages(async (after) => (await req.api.request(OfficerRoundsDocument, { after }, ctx(req))).rounds),
      allPages(async (after) => (await req.api.request(OfficerAreasDocument, { after }, ctx(req))).areas),
    ]);
    renderStaff(res, 'staff/home', { pageTitle: 'Staff pages', rounds, areas });
  });

  r.use(areaRoutes(), roleRoutes(), roundRoutes(), reviewRoutes(), verificationRoutes(), letterRoutes(), paperFormRoutes(), staffResultRoutes(), simulationRoutes(), populationRoutes(), participationRoutes(), deliveryStaffRoutes());
  return r;
}
