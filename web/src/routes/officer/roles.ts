// Roles: admins give someone a staff role (the API checks it is an admin).
import { Router } from 'express';
import { GrantRoleDocument } from '../../graphql/generated/graphql.js';
import { addApiError } from '../../forms/api-error.js';
import { parseRole } from '../../forms/officer.js';
import { staffFieldOf } from '../../forms/rounds.js';
import { renderStaff } from '../../http/render.js';
import { ctx } from '../../http/request.js';

export function roleRoutes() {
  const r = Router();
  const page = { pageTitle: 'Give someone a role', backLink: '/officer' };

  r.get('/officer/roles', (req, res) => renderStaff(res, 'staff/roles', { ...page, values: {} }));
  r.post('/officer/roles', async (req, res) => {
    const { values, errors, input } = parseRole(req.body);
    if (input) {
      try {
        const { grantRole } = await req.api.request(GrantRoleDocument, input, ctx(req));
        renderStaff(res, 'staff/roles', { ...page, values: {}, granted: { role: input.role, roles: grantRole.roles } });
        return;
      } catch (e) {
        addApiError(errors, e, { field: 'email', fieldOf: staffFieldOf, every: true });
      }
    }
    renderStaff(res, 'staff/roles', { ...page, values, errors }, 400);
  });

  return r;
}
