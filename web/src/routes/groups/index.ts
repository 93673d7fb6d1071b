// Community groups: register a group, answer an invitation, add and remove
// members, leave. Bids and drafts are in bids.ts and drafts.ts, updates on
// a funded bid's delivery in delivery.ts.
import { Router, type Request, type Response } from 'express';
import {
  AnswerGroupInvitationDocument,
  GroupMembersDocument,
  GroupPageDocument,
  InviteGroupMemberDocument,
  LeaveGroupDocument,
  MyGroupsDocument,
  RegisterGroupDocument,
  RemoveGroupMemberDocument,
  RevokeGroupInvitationDocument,
} from '../../graphql/generated/graphql.js';
import { allAreas } from '../../graphql/load.js';
import { addApiError } from '../../forms/api-error.js';
import { groupApiErrors } from '../../forms/bids.js';
import { acceptsInvitation, parseGroup, parseMemberEmail } from '../../forms/groups.js';
import { setFlash } from '../../lib/flash.js';
import { FormErrors } from '../../lib/forms.js';
import { formStatus } from '../../http/render.js';
import { ctx, requireSignIn } from '../../http/request.js';
import { groupPage, isMember } from '../../view-models/groups.js';
import { bidRoutes } from './bids.js';
import { deliveryUpdateRoutes } from './delivery.js';
import { draftRoutes } from './drafts.js';

async function registerForm(req: Request, res: Response, values: Record<string, string>, errors?: FormErrors) {
  const areas = await allAreas(req);
  res.status(formStatus(errors)).render('pages/group-new', { pageTitle: res.locals.t.groups.registerTitle, areas, values, errors, backLink: '/groups', navSection: 'groups' });
}

async function showGroup(req: Request, res: Response, values: Record<string, string> = {}, errors?: FormErrors) {
  const data = await req.api.request(GroupPageDocument, { id: String(req.params.id) }, ctx(req));
  // Members only: who is in the group and who has been invited.
  const people = isMember(data) ? (await req.api.request(GroupMembersDocument, { id: data.group.id }, ctx(req))).group : null;
  res.status(formStatus(errors)).render('pages/group', { ...groupPage(data, people), myId: req.me?.id, values, errors, backLink: '/groups', navSection: 'groups' });
}

/** A refusal of a change to the members, shown on the group's page. */
async function membersRefused(req: Request, res: Response, e: unknown) {
  await showGroup(req, res, {}, addApiError(new FormErrors(), e, { field: 'members', messages: res.locals.t.api }));
}

export function groupRoutes() {
  const r = Router();
  r.use(['/groups', '/bids/:id/edit', '/bids/:id/withdraw'], requireSignIn);

  r.get('/groups', async (req, res) => {
    const data = await req.api.request(MyGroupsDocument, {}, ctx(req));
    res.render('pages/groups', {
      pageTitle: res.locals.t.groups.title,
      groups: data.me?.groups ?? [],
      invitations: data.myGroupInvitations.filter((i) => i.status === 'PENDING'),
      navSection: 'groups',
    });
  });

  // An invitation is accepted or declined by the person invited.
  r.post('/groups/invitations/:id', async (req, res) => {
    const accept = acceptsInvitation(req.body);
    const { answerGroupInvitation } = await req.api.request(AnswerGroupInvitationDocument, { invitationId: String(req.params.id), accept }, ctx(req));
    setFlash(res, accept ? 'groups.accepted' : 'groups.declined');
    res.redirect(303, accept ? `/groups/${answerGroupInvitation.group.id}` : '/groups');
  });

  r.get('/groups/new', (req, res) => registerForm(req, res, {}));
  r.post('/groups/new', async (req, res) => {
    const { values, errors, input } = parseGroup(req.body, res.locals.t);
    if (input) {
      try {
        const { registerGroup } = await req.api.request(RegisterGroupDocument, { input }, ctx(req));
        setFlash(res, 'groups.registered');
        res.redirect(303, `/groups/${registerGroup.id}`);
        return;
      } catch (e) {
        addApiError(errors, e, groupApiErrors(res.locals.t));
      }
    }
    await registerForm(req, res, values, errors);
  });

  r.get('/groups/:id', (req, res) => showGroup(req, res));

  r.post('/groups/:id/members', async (req, res) => {
    const { values, errors, email } = parseMemberEmail(req.body, res.locals.t);
    if (email) {
      try {
        await req.api.request(InviteGroupMemberDocument, { groupId: String(req.params.id), email }, ctx(req));
        setFlash(res, 'groups.invited');
        res.redirect(303, `/groups/${req.params.id}`);
        return;
      } catch (e) {
        addApiError(errors, e, { field: 'email', messages: res.locals.t.api });
      }
    }
    await showGroup(req, res, values, errors);
  });

  r.post('/groups/:id/members/:accountId/remove', async (req, res) => {
    try {
      await req.api.request(RemoveGroupMemberDocument, { groupId: String(req.params.id), accountId: String(req.params.accountId) }, ctx(req));
    } catch (e) {
      await membersRefused(req, res, e);
      return;
    }
    setFlash(res, 'groups.removed');
    res.redirect(303, `/groups/${req.params.id}`);
  });

  r.post('/groups/:id/invitations/:invitationId/revoke', async (req, res) => {
    await req.api.request(RevokeGroupInvitationDocument, { invitationId: String(req.params.invitationId) }, ctx(req));
    setFlash(res, 'groups.revoked');
    res.redirect(303, `/groups/${req.params.id}`);
  });

  r.post('/groups/:id/leave', async (req, res) => {
    try {
      await req.api.request(LeaveGroupDocument, { groupId: String(req.params.id) }, ctx(req));
    } catch (e) {
      await membersRefused(req, res, e);
      return;
    }
    setFlash(res, 'groups.left');
    res.redirect(303, '/groups');
  });

  r.use(bidRoutes(), draftRoutes(), deliveryUpdateRoutes());
  return r;
}
