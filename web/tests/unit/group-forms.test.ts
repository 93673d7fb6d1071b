// Community groups' forms and pages, one describe per route module in src/routes/groups/.
import { describe, expect, it } from 'vitest';
import { bidDetails, bidValues, bidValuesOf, checkCostWithinPot, confirmed, draftDetails, savingDraft, validateBid, validateDraft } from '../../src/forms/bids.js';
import { acceptsInvitation, parseGroup, parseMemberEmail } from '../../src/forms/groups.js';
import { cy, en } from '../../src/i18n/index.js';
import { FormErrors } from '../../src/lib/forms.js';
import { bidAreas, bidFormData, draftData, groupPage } from '../../src/view-models/groups.js';

const fields = (errors: FormErrors) => errors.list.map((e) => e.href.slice(1));
const categories = ['Parks', 'Streets'];
const complete = { roundId: '2', title: 'Benches', summary: 'Six benches', description: 'On the moor', cost: '£1,200.50', category: 'Parks', address: '' };

describe('groups/index', () => {
  it('registers a group with a name, description, contact address and area, in the page’s language', () => {
    const empty = parseGroup({ contactEmail: 'not an address' }, cy);
    expect(fields(empty.errors)).toEqual(['name', 'description', 'contactEmail', 'areaId']);
    expect(empty.errors.list[0]?.text).toBe(cy.groups.errorName);
    expect(parseGroup({ name: 'Friends', description: 'Of the moor', contactEmail: 'f@m.uk', areaId: '1' }, en).input).toEqual({ name: 'Friends', description: 'Of the moor', contactEmail: 'f@m.uk', areaId: '1' });
  });
  it('invites a member by email and reads an invitation’s answer', () => {
    expect(parseMemberEmail({ email: 'x' }, en).email).toBeNull();
    expect(parseMemberEmail({ email: ' m@e.uk ' }, en).email).toBe('m@e.uk');
    expect(acceptsInvitation({ answer: 'accept' })).toBe(true);
    expect(acceptsInvitation({ answer: 'yes' })).toBe(false);
  });
  it('lists drafts, members and invitations to members only', () => {
    const data = {
      group: { id: '3', name: 'Friends', bids: { nodes: [{ id: '1', status: 'SUBMITTED' }, { id: '2', status: 'DRAFT' }] } },
      me: { id: '9', groups: [{ id: '3' }] },
    };
    const people = { id: '3', members: { nodes: [{ accountId: '9' }] }, pendingInvitations: [{ id: '4', status: 'PENDING' }, { id: '5', status: 'ACCEPTED' }] };
    const page = groupPage(data as never, people as never);
    expect(page).toMatchObject({ member: true, bids: [{ id: '1' }], drafts: [{ id: '2' }], invitations: [{ id: '4' }] });
    const outsider = groupPage({ ...data, me: { id: '8', groups: [] } } as never, null);
    expect(outsider).toMatchObject({ member: false, drafts: [], members: [], invitations: [] });
  });
});

describe('groups/bids', () => {
  it('needs every answer to send a bid, and a cost within the pot', () => {
    expect(fields(validateBid(en, bidValues({ cost: '0' }), true, categories))).toEqual(['roundId', 'title', 'summary', 'description', 'cost', 'category']);
    const values = bidValues(complete);
    expect(validateBid(en, values, true, categories).any).toBe(false);
    expect(fields(checkCostWithinPot(en, values, { amountPence: 100_000 }, new FormErrors()))).toEqual(['cost']);
    expect(checkCostWithinPot(en, values, { amountPence: 120_050 }, new FormErrors()).any).toBe(false);
  });
  it('reads which button was pressed', () => {
    expect(savingDraft({ action: 'draft' })).toBe(true);
    expect(savingDraft({})).toBe(false);
    expect(confirmed({ confirm: 'yes' })).toBe(true);
  });
  it('builds the API’s details', () => {
    expect(bidDetails(bidValues(complete))).toEqual({ title: 'Benches', summary: 'Six benches', description: 'On the moor', titleCy: null, summaryCy: null, descriptionCy: null, costPence: 120_050, category: 'Parks', location: { address: null, latitude: null, longitude: null }, localityId: null });
  });
  it('sends the Welsh where it is given, and none where it is empty', () => {
    const welsh = bidDetails(bidValues({ ...complete, titleCy: ' Meinciau ', summaryCy: '', descriptionCy: 'Ar y rhos' }));
    expect([welsh.titleCy, welsh.summaryCy, welsh.descriptionCy]).toEqual(['Meinciau', null, 'Ar y rhos']);
    const kept = bidValuesOf({ round: { id: '2' }, title: 'B', summary: '', description: '', titleCy: 'M', summaryCy: null, costPence: 1, category: '', location: {} });
    expect([kept.titleCy, kept.summaryCy, kept.descriptionCy]).toEqual(['M', '', '']);
  });
  it('sends the area chosen, or none for the whole of the pot’s area, which is not offered again', () => {
    const areas = [{ id: '1', name: 'Hyde Park and Woodhouse' }, { id: '5', name: 'Little Woodhouse' }];
    const offered = bidAreas(areas, { id: '1', name: 'Hyde Park and Woodhouse' }, '5');
    expect(offered.areaOptions).toEqual([{ id: '5', name: 'Little Woodhouse' }]);
    expect(offered.chosenArea).toEqual({ id: '5', name: 'Little Woodhouse' });
    expect(bidAreas(areas, { id: '1', name: 'Hyde Park and Woodhouse' }, '').chosenArea).toBeNull();
    const ids = offered.areaOptions.map((a) => a.id);
    expect(bidDetails(bidValues({ ...complete, areaId: '5' })).localityId).toBe('5');
    expect(draftDetails(bidValues({ title: 'x', areaId: '5' })).localityId).toBe('5');
    expect(validateBid(en, bidValues({ ...complete, areaId: '5' }), true, categories, ids).any).toBe(false);
    // The pot's own area is the first choice, sent as no area: posted as itself, it is not one offered.
    const wrong = validateBid(cy, bidValues({ ...complete, areaId: '1' }), true, categories, ids);
    expect(fields(wrong)).toEqual(['areaId']);
    expect(wrong.list[0]?.text).toBe(cy.bidForm.errorArea);
    expect(fields(validateDraft(en, bidValues({ title: 'x', areaId: '99' }), false, categories, ids))).toEqual(['areaId']);
    expect(bidValuesOf({ round: { id: '2' }, title: 'B', summary: '', description: '', costPence: 1, category: '', location: {}, locality: { id: '5' } }).areaId).toBe('5');
  });
  it('offers the rounds with a pot for the group’s area', () => {
    const data = bidFormData({
      group: { id: '3', name: 'F', area: { id: '1', name: 'A' } },
      rounds: { nodes: [{ id: '2', title: 'R', pots: [{ area: { id: '1' }, amountPence: 5, amountDisplay: '£0.05' }] }, { id: '4', title: 'S', pots: [{ area: { id: '6' }, amountPence: 5, amountDisplay: '' }] }] },
      bidCategories: categories,
    } as never);
    expect(data.rounds.map((r) => r.id)).toEqual(['2']);
    expect(data.rounds[0]?.pot?.amountPence).toBe(5);
  });
});

describe('groups/drafts', () => {
  it('needs only a name to keep a draft, and what else is given must make sense', () => {
    expect(fields(validateDraft(en, bidValues({ roundId: '2' }), true, categories))).toEqual(['title']);
    expect(en.bidForm.errorDraftTitle).not.toBe(en.bidForm.errorTitle);
    expect(fields(validateDraft(en, bidValues({ title: 'x', cost: 'lots', category: 'Moon' }), false, categories))).toEqual(['cost', 'category']);
    expect(draftDetails(bidValues({ title: 'Benches' }))).toEqual({ title: 'Benches', summary: null, description: null, titleCy: null, summaryCy: null, descriptionCy: null, costPence: null, category: null, location: { address: null, latitude: null, longitude: null }, localityId: null });
  });
  it('fills the form with what was saved, with no cost yet shown as none', () => {
    const bid = { round: { id: '2' }, title: 'Benches', summary: '', description: '', costPence: 0, category: '', location: { address: null } };
    expect(bidValuesOf(bid, { blankZeroCost: true }).cost).toBe('');
    expect(bidValuesOf({ ...bid, costPence: 120_050 }).cost).toBe('1200.50');
  });
  it('is a draft of this group only while it is a draft', () => {
    const data = { bid: { id: '5', status: 'DRAFT', group: { id: '3' }, round: { pots: [{ area: { id: '1' }, amountPence: 9 }] } }, group: { area: { id: '1' } }, bidCategories: [] };
    expect(draftData(data as never, '3')).toMatchObject({ isDraft: true, pot: { amountPence: 9 } });
    expect(draftData(data as never, '4').isDraft).toBe(false);
    expect(draftData({ ...data, bid: { ...data.bid, status: 'SUBMITTED' } } as never, '3').isDraft).toBe(false);
  });
});
