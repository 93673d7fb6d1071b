// Roles (admins): who holds a role, a page at a time; giving someone a role
// (with a warning when nobody has signed in with that address yet); taking
// a role away after a confirmation page.
import { Router, type Request, type Response } from 'express';
import { GrantRoleDocument, RevokeRoleDocument, RoleHoldersDocument, type Role } from '../../graphql/generated/graphql.js';
import { allPages } from '../../graphql/pages.js';
import { addApiError } from '../../forms/api-error.js';
import { ROLE_REMOVAL_API_ERRORS, parseRole, roleFromPath } from '../../forms/officer.js';
import { staffFieldOf } from '../../forms/rounds.js';
import { setFlash } from '../../lib/flash.js';
import { FormErrors } from '../../lib/forms.js';
import { formStatus, renderStaff } from '../../http/render.js';
import { ctx, requireAdmin } from '../../http/request.js';
import { ROLE_NAMES, afterParam, roleHolderRow, rolesPage } from '../../view-models/officer.js';

const PAGE_SIZE = 20;
const page = { pageTitle: 'Roles', backLink: '/officer' };

async function showRoles(req: Request, res: Response, locals: Record<string, unknown>, status = 200) {
  const after = afterParam(req.query.after);
  const { roleHolders } = await req.api.request(RoleHoldersDocument, { first: PAGE_SIZE, after }, ctx(req));
  renderStaff(res, 'staff/roles', { ...page, ...rolesPage(roleHolders, after, req.me?.id), values: {}, ...locals }, status);
}

/** The person in the address and the role to take away, or null when they do not hold it (any more). */
async function removal(req: Request) {
  const role = roleFromPath(req.params.role);
  if (!role) return null;
  const holders = await allPages(async (after) => (await req.api.request(RoleHoldersDocument, { first: 100, after }, ctx(req))).roleHolders);
  const holder = holders.find((h) => h.id === String(req.params.accountId));
  if (!holder?.roles.includes(role)) return null;
  return { person: roleHolderRow(holder, req.me?.id), role };
}

function showRemoval(res: Response, found: { person: ReturnType<typeof roleHolderRow>; role: Role }, errors?: FormErrors) {
  const { person, role } = found;
  renderStaff(
    res,
    'staff/role-remove',
    {
      pageTitle: `Remove the ${ROLE_NAMES[role]} role`,
      person,
      roleName: ROLE_NAMES[role],
      action: person.roles.find((r) => r.role === role)?.removeHref,
      otherRoles: person.roles.filter((r) => r.role !== role).map((r) => r.name),
      errors,
      backLink: '/officer/roles',
    },
    formStatus(errors),
  );
}

export function roleRoutes() {
  const r = Router();
  r.use('/officer/roles', requireAdmin);

  r.get('/officer/roles', (req, res) => showRoles(req, res, {}));
  r.post('/officer/roles', async (req, res) => {
    const { values, errors, input } = parseRole(req.body);
    if (input) {
      let granted;
      try {
        const { grantRole } = await req.api.request(GrantRoleDocument, input, ctx(req));
        // An address nobody has signed in with may be mistyped: the admin is asked to check it.
        granted = { email: input.email, role: ROLE_NAMES[input.role], roles: grantRole.roles.map((x) => ROLE_NAMES[x]), hasSignedIn: grantRole.hasSignedIn };
      } catch (e) {
        addApiError(errors, e, { field: 'email', fieldOf: staffFieldOf, every: true });
      }
      if (granted) {
        await showRoles(req, res, { granted });
        return;
      }
    }
    await showRoles(req, res, { values, errors }, 400);
  });

  r.get('/officer/roles/:accountId/:role/remove', async (req, res) => {
    const found = await removal(req);
    if (!found) {
      res.redirect(303, '/officer/roles');
      return;
    }
    showRemoval(res, found);
  });
  r.post('/officer/roles/:accountId/:role/remove', async (req, res) => {
    const role = roleFromPath(req.params.role);
    if (!role) {
      res.redirect(303, '/officer/roles');
      return;
    }
    try {
      await req.api.request(RevokeRoleDocument, { accountId: String(req.params.accountId), role }, ctx(req));
      setFlash(res, 'officer.roleRemoved');
      res.redirect(303, '/officer/roles');
    } catch (e) {
      // Refused (your own admin role): the API's reason, on the confirmation page.
      const errors = addApiError(new FormErrors(), e, ROLE_REMOVAL_API_ERRORS);
      const found = await removal(req);
      if (found) showRemoval(res, found, errors);
      else res.redirect(303, '/officer/roles');
    }
  });

  return r;
}
