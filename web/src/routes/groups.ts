// Community groups: register a group, add members, write bids (saving a
// draft to come back to), change and withdraw them, and read the council's
// review.
import { Router, type Request, type Response } from 'express';
import { ctx, requireSignIn } from '../app.js';
import { ApiError } from '../graphql/client.js';
import {
  AnswerGroupInvitationDocument,
  BidCategoriesDocument,
  BidDraftDocument,
  DeleteBidDraftDocument,
  GroupAreasDocument,
  GroupMembersDocument,
  InviteGroupMemberDocument,
  LeaveGroupDocument,
  RemoveGroupMemberDocument,
  ResubmitBidDocument,
  RevokeGroupInvitationDocument,
  SaveBidDraftDocument,
  SubmitBidDraftDocument,
  UpdateBidDraftDocument,
  BidFormDataDocument,
  BidPageDocument,
  GroupPageDocument,
  MyGroupsDocument,
  RegisterGroupDocument,
  SubmitBidDocument,
  UpdateBidDocument,
  WithdrawBidDocument,
} from '../graphql/generated/graphql.js';
import { allPages } from '../graphql/pages.js';
import { setFlash } from '../lib/flash.js';
import { FormErrors, str } from '../lib/forms.js';
import { formatPence, parsePounds, penceToInput } from '../lib/money.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface BidValues {
  roundId: string;
  title: string;
  summary: string;
  description: string;
  cost: string;
  category: string;
  address: string;
}

function bidValues(body: unknown): BidValues {
  return {
    roundId: str(body, 'roundId'),
    title: str(body, 'title'),
    summary: str(body, 'summary'),
    description: str(body, 'description'),
    cost: str(body, 'cost'),
    category: str(body, 'category'),
    address: str(body, 'address'),
  };
}

function validateBid(res: Response, v: BidValues, needRound: boolean, categories: string[]): FormErrors {
  const t = res.locals.t.bidForm;
  const errors = new FormErrors();
  if (needRound && !v.roundId) errors.add('roundId', t.errorRound);
  if (!v.title) errors.add('title', t.errorTitle);
  if (!v.summary) errors.add('summary', t.errorSummary);
  if (!v.description) errors.add('description', t.errorDescription);
  const pence = parsePounds(v.cost);
  if (pence === null || pence <= 0) errors.add('cost', t.errorCost);
  if (!categories.includes(v.category)) errors.add('category', t.errorCategory);
  return errors;
}

// A draft needs only a round and a name; what else is given must make sense.
function validateDraft(res: Response, v: BidValues, needRound: boolean, categories: string[]): FormErrors {
  const t = res.locals.t.bidForm;
  const errors = new FormErrors();
  if (needRound && !v.roundId) errors.add('roundId', t.errorRound);
  if (!v.title) errors.add('title', t.errorDraftTitle);
  if (v.cost) {
    const pence = parsePounds(v.cost);
    if (pence === null || pence < 0) errors.add('cost', t.errorCost);
  }
  if (v.category && !categories.includes(v.category)) errors.add('category', t.errorCategory);
  return errors;
}

function draftDetails(v: BidValues) {
  return {
    title: v.title,
    summary: v.summary || null,
    description: v.description || null,
    costPence: v.cost ? parsePounds(v.cost) : null,
    category: v.category || null,
    location: { address: v.address || null, latitude: null, longitude: null },
  };
}

/** The button pressed: "Save as draft" sends action=draft. */
function savingDraft(req: Request): boolean {
  return str(req.body, 'action') === 'draft';
}

function details(v: BidValues) {
  return {
    title: v.title,
    summary: v.summary,
    description: v.description,
    costPence: parsePounds(v.cost) ?? 0,
    category: v.category,
    location: { address: v.address || null, latitude: null, longitude: null },
  };
}

function apiFieldError(res: Response, errors: FormErrors, e: ApiError) {
  const field = { BID_COST_EXCEEDS_POT: 'cost', PHASE_CLOSED: 'roundId', AREA_NOT_IN_ROUND: 'roundId', NAME_TAKEN: 'name', INVALID_EMAIL: 'contactEmail' }[e.code];
  const first = e.errors[0];
  // The API names the cost costPence; the form's field is cost.
  const named = first?.field === 'costPence' ? 'cost' : first?.field;
  errors.add(field ?? named ?? 'title', res.locals.t.api[e.code] ?? first?.message ?? e.code);
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
    const accept = str(req.body, 'answer') === 'accept';
    const { answerGroupInvitation } = await req.api.request(AnswerGroupInvitationDocument, { invitationId: String(req.params.id), accept }, ctx(req));
    setFlash(res, accept ? 'groups.accepted' : 'groups.declined');
    res.redirect(303, accept ? `/groups/${answerGroupInvitation.group.id}` : '/groups');
  });

  const registerForm = async (req: Request, res: Response, values: Record<string, string>, errors?: FormErrors) => {
    const areas = await allPages(async (after) => (await req.api.request(GroupAreasDocument, { after }, ctx(req))).areas);
    res.status(errors?.any ? 400 : 200).render('pages/group-new', { pageTitle: res.locals.t.groups.registerTitle, areas, values, errors, backLink: '/groups', navSection: 'groups' });
  };
  r.get('/groups/new', (req, res) => registerForm(req, res, {}));
  r.post('/groups/new', async (req, res) => {
    const t = res.locals.t.groups;
    const values = { name: str(req.body, 'name'), description: str(req.body, 'description'), contactEmail: str(req.body, 'contactEmail'), areaId: str(req.body, 'areaId') };
    const errors = new FormErrors();
    if (!values.name) errors.add('name', t.errorName);
    if (!values.description) errors.add('description', t.errorDescription);
    if (!EMAIL.test(values.contactEmail)) errors.add('contactEmail', t.errorContact);
    if (!values.areaId) errors.add('areaId', t.errorArea);
    if (!errors.any) {
      try {
        const { registerGroup } = await req.api.request(RegisterGroupDocument, { input: values }, ctx(req));
        setFlash(res, 'groups.registered');
        res.redirect(303, `/groups/${registerGroup.id}`);
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
        apiFieldError(res, errors, e);
      }
    }
    await registerForm(req, res, values, errors);
  });

  const groupPage = async (req: Request, res: Response, values: Record<string, string> = {}, errors?: FormErrors) => {
    const data = await req.api.request(GroupPageDocument, { id: String(req.params.id) }, ctx(req));
    const member = data.me?.groups.some((g) => g.id === data.group.id) ?? false;
    // Members only: who is in the group and who has been invited.
    const people = member ? (await req.api.request(GroupMembersDocument, { id: data.group.id }, ctx(req))).group : null;
    // Drafts are listed for members only (the API shows them to no one else).
    const all = data.group.bids.nodes;
    res.status(errors?.any ? 400 : 200).render('pages/group', {
      pageTitle: data.group.name,
      group: data.group,
      bids: all.filter((b) => b.status !== 'DRAFT'),
      drafts: member ? all.filter((b) => b.status === 'DRAFT') : [],
      members: people?.members.nodes ?? [],
      invitations: (people?.pendingInvitations ?? []).filter((i) => i.status === 'PENDING'),
      member,
      myId: req.me?.id,
      values,
      errors,
      backLink: '/groups',
      navSection: 'groups',
    });
  };
  r.get('/groups/:id', (req, res) => groupPage(req, res));

  r.post('/groups/:id/members', async (req, res) => {
    const email = str(req.body, 'email');
    const errors = new FormErrors();
    if (!EMAIL.test(email)) errors.add('email', res.locals.t.groups.errorMemberEmail);
    else {
      try {
        await req.api.request(InviteGroupMemberDocument, { groupId: String(req.params.id), email }, ctx(req));
        setFlash(res, 'groups.invited');
        res.redirect(303, `/groups/${req.params.id}`);
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
        errors.add('email', res.locals.t.api[e.code] ?? e.errors[0]?.message ?? e.code);
      }
    }
    await groupPage(req, res, { email }, errors);
  });

  r.post('/groups/:id/members/:accountId/remove', async (req, res) => {
    try {
      await req.api.request(RemoveGroupMemberDocument, { groupId: String(req.params.id), accountId: String(req.params.accountId) }, ctx(req));
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
      await groupPage(req, res, {}, new FormErrors().add('members', res.locals.t.api[e.code] ?? e.errors[0]?.message ?? e.code));
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
      if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
      await groupPage(req, res, {}, new FormErrors().add('members', res.locals.t.api[e.code] ?? e.errors[0]?.message ?? e.code));
      return;
    }
    setFlash(res, 'groups.left');
    res.redirect(303, '/groups');
  });

  // Writing a bid: the form, then check your answers, then the bid is sent.
  const formData = async (req: Request, groupId: string) => {
    const data = await req.api.request(BidFormDataDocument, { groupId }, ctx(req));
    const rounds = data.rounds.nodes
      .map((round) => ({ ...round, pot: round.pots.find((p) => p.area.id === data.group.area.id) }))
      .filter((round) => round.pot);
    return { group: data.group, rounds, categories: data.bidCategories };
  };

  const newBidForm = async (req: Request, res: Response, values: Partial<BidValues>, errors?: FormErrors) => {
    const groupId = String(req.params.id);
    const data = await formData(req, groupId);
    if (!values.roundId && data.rounds.length === 1) values.roundId = data.rounds[0]?.id;
    res.status(errors?.any ? 400 : 200).render('pages/bid-form', {
      pageTitle: res.locals.t.bidForm.newTitle,
      ...data,
      values,
      errors,
      action: `/groups/${groupId}/bids/new`,
      backLink: `/groups/${groupId}`,
      navSection: 'groups',
    });
  };
  r.get('/groups/:id/bids/new', (req, res) => newBidForm(req, res, {}));

  r.post('/groups/:id/bids/new', async (req, res) => {
    const groupId = String(req.params.id);
    const values = bidValues(req.body);
    const data = await formData(req, groupId);
    if (savingDraft(req)) {
      const errors = validateDraft(res, values, true, data.categories);
      const round = data.rounds.find((x) => x.id === values.roundId);
      if (!round) errors.add('roundId', res.locals.t.bidForm.errorRound);
      if (!errors.any && round) {
        try {
          await req.api.request(
            SaveBidDraftDocument,
            { input: { roundId: round.id, groupId, areaId: data.group.area.id, details: draftDetails(values) } },
            ctx(req),
          );
          setFlash(res, 'bidForm.draftSaved');
          res.redirect(303, `/groups/${groupId}#drafts`);
          return;
        } catch (e) {
          if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
          apiFieldError(res, errors, e);
        }
      }
      await newBidForm(req, res, values, errors);
      return;
    }
    const errors = validateBid(res, values, true, data.categories);
    const round = data.rounds.find((x) => x.id === values.roundId);
    if (!round) errors.add('roundId', res.locals.t.bidForm.errorRound);
    const pence = parsePounds(values.cost);
    if (round?.pot && pence !== null && pence > round.pot.amountPence) errors.add('cost', res.locals.t.bidForm.errorCostExceedsPot);
    if (errors.any || !round) {
      await newBidForm(req, res, values, errors);
      return;
    }
    if (str(req.body, 'confirm') !== 'yes') {
      res.render('pages/bid-check', {
        pageTitle: res.locals.t.bidForm.checkTitle,
        group: data.group,
        round,
        values,
        costText: formatPence(pence ?? 0, req.lang),
        action: `/groups/${groupId}/bids/new`,
        navSection: 'groups',
      });
      return;
    }
    try {
      const { submitBid } = await req.api.request(
        SubmitBidDocument,
        { input: { roundId: round.id, groupId, areaId: data.group.area.id, details: details(values) } },
        ctx(req),
      );
      res.redirect(303, `/bids/${submitBid.id}/sent`);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
      const errs = new FormErrors();
      apiFieldError(res, errs, e);
      await newBidForm(req, res, values, errs);
    }
  });

  r.post('/groups/:id/bids/new/change', (req, res) => newBidForm(req, res, bidValues(req.body)));

  // A draft: the same form filled in with what was saved, then check
  // answers and send, or save again to come back later.
  const loadDraft = async (req: Request) => {
    const groupId = String(req.params.id);
    const data = await req.api.request(BidDraftDocument, { id: String(req.params.draftId), groupId }, ctx(req));
    const pot = data.bid.round.pots.find((p) => p.area.id === data.group.area.id);
    return { ...data, groupId, pot, isDraft: data.bid.status === 'DRAFT' && data.bid.group.id === groupId };
  };

  const draftForm = async (req: Request, res: Response, values?: BidValues, errors?: FormErrors) => {
    const data = await loadDraft(req);
    if (!data.isDraft) {
      res.redirect(303, `/bids/${data.bid.id}`);
      return;
    }
    const { bid } = data;
    const v: BidValues = values ?? {
      roundId: bid.round.id,
      title: bid.title,
      summary: bid.summary,
      description: bid.description,
      cost: bid.costPence > 0 ? penceToInput(bid.costPence) : '',
      category: bid.category,
      address: bid.location.address ?? '',
    };
    res.status(errors?.any ? 400 : 200).render('pages/bid-form', {
      pageTitle: res.locals.t.bidForm.draftTitle,
      draft: bid,
      round: bid.round,
      pot: data.pot,
      group: data.group,
      rounds: [],
      categories: data.bidCategories,
      values: v,
      errors,
      action: `/groups/${data.groupId}/drafts/${bid.id}`,
      backLink: `/groups/${data.groupId}`,
      navSection: 'groups',
    });
  };
  r.get('/groups/:id/drafts/:draftId', (req, res) => draftForm(req, res));
  r.post('/groups/:id/drafts/:draftId/change', (req, res) => draftForm(req, res, bidValues(req.body)));

  r.post('/groups/:id/drafts/:draftId', async (req, res) => {
    const data = await loadDraft(req);
    if (!data.isDraft) {
      res.redirect(303, `/bids/${data.bid.id}`);
      return;
    }
    const { bid, groupId } = data;
    const values = { ...bidValues(req.body), roundId: bid.round.id };
    const save = () => req.api.request(UpdateBidDraftDocument, { id: bid.id, details: draftDetails(values) }, ctx(req));
    const draft = savingDraft(req);
    const errors = draft ? validateDraft(res, values, false, data.bidCategories) : validateBid(res, values, false, data.bidCategories);
    const pence = parsePounds(values.cost);
    if (!draft && data.pot && pence !== null && pence > data.pot.amountPence) errors.add('cost', res.locals.t.bidForm.errorCostExceedsPot);
    if (errors.any) {
      await draftForm(req, res, values, errors);
      return;
    }
    try {
      if (draft) {
        await save();
        setFlash(res, 'bidForm.draftSaved');
        res.redirect(303, `/groups/${groupId}#drafts`);
        return;
      }
      // What the group wrote is kept at every step, so nothing is lost if
      // they leave at check answers.
      await save();
      if (str(req.body, 'confirm') !== 'yes') {
        res.render('pages/bid-check', {
          pageTitle: res.locals.t.bidForm.checkTitle,
          group: data.group,
          round: bid.round,
          values,
          costText: formatPence(pence ?? 0, req.lang),
          action: `/groups/${groupId}/drafts/${bid.id}`,
          navSection: 'groups',
        });
        return;
      }
      const { submitBidDraft } = await req.api.request(SubmitBidDraftDocument, { id: bid.id }, ctx(req));
      res.redirect(303, `/bids/${submitBidDraft.id}/sent`);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
      const errs = new FormErrors();
      apiFieldError(res, errs, e);
      await draftForm(req, res, values, errs);
    }
  });

  r.get('/groups/:id/drafts/:draftId/delete', async (req, res) => {
    const data = await loadDraft(req);
    if (!data.isDraft) {
      res.redirect(303, `/bids/${data.bid.id}`);
      return;
    }
    res.render('pages/bid-draft-delete', {
      pageTitle: res.locals.t.bidForm.deleteDraftTitle,
      bid: data.bid,
      group: data.group,
      backLink: `/groups/${data.groupId}/drafts/${data.bid.id}`,
      navSection: 'groups',
    });
  });
  r.post('/groups/:id/drafts/:draftId/delete', async (req, res) => {
    await req.api.request(DeleteBidDraftDocument, { id: String(req.params.draftId) }, ctx(req));
    setFlash(res, 'bidForm.draftDeleted');
    res.redirect(303, `/groups/${req.params.id}`);
  });

  r.get('/bids/:id/sent', requireSignIn, async (req, res) => {
    const { bid } = await req.api.request(BidPageDocument, { id: String(req.params.id) }, ctx(req));
    res.render('pages/bid-sent', { pageTitle: res.locals.t.bidForm.sentTitle, bid, navSection: 'groups' });
  });

  const editForm = async (req: Request, res: Response, values?: BidValues, errors?: FormErrors) => {
    const { bid } = await req.api.request(BidPageDocument, { id: String(req.params.id) }, ctx(req));
    const data = await formData(req, bid.group.id);
    const v: BidValues = values ?? {
      roundId: bid.round.id,
      title: bid.title,
      summary: bid.summary,
      description: bid.description,
      cost: penceToInput(bid.costPence),
      category: bid.category,
      address: bid.location.address ?? '',
    };
    res.status(errors?.any ? 400 : 200).render('pages/bid-form', {
      pageTitle: res.locals.t.bidForm.editTitle,
      editing: true,
      bid,
      group: data.group,
      rounds: [],
      categories: data.categories,
      values: v,
      errors,
      action: `/bids/${bid.id}/edit`,
      backLink: `/bids/${bid.id}`,
      navSection: 'groups',
    });
  };
  r.get('/bids/:id/edit', (req, res) => editForm(req, res));
  r.post('/bids/:id/edit', async (req, res) => {
    const values = bidValues(req.body);
    const { bidCategories } = await req.api.request(BidCategoriesDocument, {}, ctx(req));
    const errors = validateBid(res, values, false, bidCategories);
    if (!errors.any) {
      try {
        const { updateBid } = await req.api.request(UpdateBidDocument, { id: String(req.params.id), details: details(values) }, ctx(req));
        // A bid changed after its review goes back to the council to check.
        setFlash(res, updateBid.status === 'SUBMITTED' ? 'bidForm.savedForReview' : 'bidForm.saved');
        res.redirect(303, `/bids/${req.params.id}`);
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code === 'INTERNAL') throw e;
        apiFieldError(res, errors, e);
      }
    }
    await editForm(req, res, values, errors);
  });

  r.post('/bids/:id/resubmit', requireSignIn, async (req, res) => {
    await req.api.request(ResubmitBidDocument, { id: String(req.params.id) }, ctx(req));
    setFlash(res, 'bidForm.resubmitted');
    res.redirect(303, `/bids/${req.params.id}`);
  });

  r.get('/bids/:id/withdraw', async (req, res) => {
    const { bid } = await req.api.request(BidPageDocument, { id: String(req.params.id) }, ctx(req));
    res.render('pages/bid-withdraw', { pageTitle: res.locals.t.bidForm.withdrawTitle, bid, backLink: `/bids/${bid.id}`, navSection: 'groups' });
  });
  r.post('/bids/:id/withdraw', async (req, res) => {
    await req.api.request(WithdrawBidDocument, { id: String(req.params.id) }, ctx(req));
    setFlash(res, 'bidForm.withdrawn');
    res.redirect(303, `/bids/${req.params.id}`);
  });

  return r;
}
