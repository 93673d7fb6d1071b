// What the group and bid pages show, built from the API's answers. Pure.
import type { BidDraftQuery, BidFormDataQuery, GroupMembersQuery, GroupPageQuery } from '../graphql/generated/graphql.js';

/** A group's page: its bids, and for members its drafts, members and pending invitations. */
export function groupPage(data: GroupPageQuery, people: GroupMembersQuery['group'] | null) {
  const member = data.me?.groups.some((g) => g.id === data.group.id) ?? false;
  const all = data.group.bids.nodes;
  return {
    pageTitle: data.group.name,
    group: data.group,
    bids: all.filter((b) => b.status !== 'DRAFT'),
    // Drafts are listed for members only (the API shows them to no one else).
    drafts: member ? all.filter((b) => b.status === 'DRAFT') : [],
    members: people?.members.nodes ?? [],
    invitations: (people?.pendingInvitations ?? []).filter((i) => i.status === 'PENDING'),
    member,
  };
}

/** Whether the signed-in person is a member of the group on the page. */
export function isMember(data: GroupPageQuery): boolean {
  return data.me?.groups.some((g) => g.id === data.group.id) ?? false;
}

/** The rounds open for bids with a pot for the group's area, each with that pot. */
export function bidFormData(data: BidFormDataQuery) {
  const rounds = data.rounds.nodes
    .map((round) => ({ ...round, pot: round.pots.find((p) => p.area.id === data.group.area.id) }))
    .filter((round) => round.pot);
  return { group: data.group, rounds, categories: data.bidCategories };
}

/**
 * The areas a bid may be for besides the whole of its pot's area (which is
 * the form's first choice, sent as no area), and the answer to show on
 * check answers.
 */
export function bidAreas(areas: { id: string; name: string }[], potArea: { id: string; name: string }, chosen: string) {
  const others = areas.filter((a) => a.id !== potArea.id);
  return { potArea, areaOptions: others, chosenArea: others.find((a) => a.id === chosen) ?? null };
}

/** A draft with the pot of its group's area, and whether it is still this group's draft. */
export function draftData(data: BidDraftQuery, groupId: string) {
  const pot = data.bid.round.pots.find((p) => p.area.id === data.group.area.id);
  return { ...data, groupId, pot, isDraft: data.bid.status === 'DRAFT' && data.bid.group.id === groupId };
}
