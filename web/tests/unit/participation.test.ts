// Who took part: age bands from a round's minimum age, deciles, shares as
// percentages, groups too small to show, "not known" rows, the
// representativeness sentence, and the outreach list, in English and Welsh.
import { describe, expect, it } from 'vitest';
import type { ParticipationGroupFieldsFragment, RoundParticipationFieldsFragment } from '../../src/graphql/generated/graphql.js';
import { cy, en } from '../../src/i18n/index.js';
import { ageBandLabel, areaPopulationView, decileLabel, outreachRows, participationView, sharePercent } from '../../src/view-models/participation.js';

const group = (g: Partial<ParticipationGroupFieldsFragment> & { key: string }): ParticipationGroupFieldsFragment => ({
  area: null,
  ageBand: null,
  decile: null,
  channel: null,
  assurance: null,
  notKnown: false,
  voters: null,
  suppressed: false,
  population: null,
  shareOfVoters: null,
  shareOfPopulation: null,
  rate: null,
  ...g,
});

const empty = { groups: [], representativeness: null, lowest: null, highest: null };

/** A published round's figures: 60 people in two wards, some groups too small to show. */
function figures(over: Partial<RoundParticipationFieldsFragment> = {}): RoundParticipationFieldsFragment {
  return {
    voters: 60,
    eligiblePopulation: 13182,
    turnout: 60 / 13182,
    fromAge: 0,
    smallestGroupShown: 10,
    deprivationKnown: true,
    byArea: {
      groups: [
        group({ key: '1', area: { id: '1', name: 'Hyde Park and Woodhouse', nameCy: null }, voters: 40, population: 6632, shareOfVoters: 40 / 60, shareOfPopulation: 0.5031, rate: 40 / 6632 }),
        group({ key: '2', area: { id: '2', name: 'Chapel Allerton', nameCy: 'Allerton y Capel' }, voters: 20, population: 6550, shareOfVoters: 20 / 60, shareOfPopulation: 0.4969, rate: 20 / 6550 }),
      ],
      representativeness: 0.5063,
      lowest: { key: '2' },
      highest: { key: '1' },
    },
    byAgeBand: {
      groups: [
        group({ key: '0-17', ageBand: 'UNDER_18', voters: 0, population: 2980, shareOfVoters: 0, shareOfPopulation: 0.226, rate: 0 }),
        group({ key: '35-44', ageBand: 'AGE_35_TO_44', voters: null, suppressed: true, population: 1397, shareOfPopulation: 0.106 }),
        group({ key: '65-74', ageBand: 'AGE_65_TO_74', voters: 19, population: 693, shareOfVoters: 19 / 60, shareOfPopulation: 0.053, rate: 19 / 693 }),
        group({ key: '75+', ageBand: 'AGE_75_AND_OVER', voters: 31, population: 917, shareOfVoters: 31 / 60, shareOfPopulation: 0.07, rate: 31 / 917 }),
        group({ key: 'NOT_KNOWN', notKnown: true, voters: null, suppressed: true }),
      ],
      representativeness: 0,
      lowest: { key: '0-17' },
      highest: { key: '75+' },
    },
    byDeprivationDecile: {
      groups: [
        group({ key: '1', decile: 1, voters: null, suppressed: true, population: 3355, shareOfPopulation: 0.255 }),
        group({ key: '4', decile: 4, voters: 15, population: 3010, shareOfVoters: 0.25, shareOfPopulation: 0.228, rate: 15 / 3010 }),
        group({ key: '10', decile: 10, voters: 16, population: 3355, shareOfVoters: 16 / 60, shareOfPopulation: 0.255, rate: 16 / 3355 }),
      ],
      representativeness: 0.9166,
      lowest: { key: '10' },
      highest: { key: '4' },
    },
    byChannel: {
      groups: [group({ key: 'WEB', channel: 'WEB', voters: 0 }), group({ key: 'PAPER', channel: 'PAPER', voters: 60, shareOfVoters: 1 })],
      representativeness: null,
      lowest: null,
      highest: null,
    },
    byAssurance: {
      groups: [group({ key: 'LOW', assurance: 'LOW', voters: 0 }), group({ key: 'HIGHER', assurance: 'HIGHER', voters: 60, shareOfVoters: 1 })],
      representativeness: null,
      lowest: null,
      highest: null,
    },
    ...over,
  };
}

describe('age bands', () => {
  it('start the youngest band at the round’s minimum age', () => {
    expect(ageBandLabel('UNDER_18', 0, en)).toBe('Under 18');
    expect(ageBandLabel('UNDER_18', 16, en)).toBe('16 to 17');
    expect(ageBandLabel('UNDER_18', 17, en)).toBe('17');
    expect(ageBandLabel('AGE_18_TO_24', 16, en)).toBe('18 to 24');
    expect(ageBandLabel('AGE_18_TO_24', 21, en)).toBe('21 to 24');
    expect(ageBandLabel('AGE_45_TO_54', 0, en)).toBe('45 to 54');
    expect(ageBandLabel('AGE_75_AND_OVER', 16, en)).toBe('75 and over');
  });

  it('say the same in Welsh', () => {
    expect(ageBandLabel('UNDER_18', 0, cy)).toBe('O dan 18 oed');
    expect(ageBandLabel('UNDER_18', 16, cy)).toBe('16 i 17 oed');
    expect(ageBandLabel('AGE_75_AND_OVER', 0, cy)).toBe('75 oed a throsodd');
  });
});

describe('deciles and shares', () => {
  it('name the most and least deprived tenths', () => {
    expect(decileLabel(1, en)).toBe('1 (most deprived)');
    expect(decileLabel(5, en)).toBe('5');
    expect(decileLabel(10, en)).toBe('10 (least deprived)');
    expect(decileLabel(1, cy)).toBe('1 (mwyaf difreintiedig)');
  });

  it('give shares as percentages, with two decimals below 1%', () => {
    expect(sharePercent(2 / 3)).toBe('66.7%');
    expect(sharePercent(1)).toBe('100%');
    expect(sharePercent(0)).toBe('0%');
    expect(sharePercent(60 / 13182)).toBe('0.46%');
    expect(sharePercent(0.0048)).toBe('0.48%');
  });
});

describe('the participation view', () => {
  const view = participationView(figures(), en);
  const by = (id: string) => view.breakdowns.find((b) => b.id === id)!;

  it('has the totals and turnout', () => {
    expect(view.voters).toBe('60');
    expect(view.eligible).toBe('13,182');
    expect(view.eligibleLabel).toBe('People living in the round’s areas');
    expect(view.turnout).toBe('0.46%');
    expect(view.populationMissing).toBe(false);
    expect(view.privacyNote).toContain('fewer than 10');
    expect(view.breakdowns.map((b) => b.id)).toEqual(['area', 'age', 'decile', 'channel', 'assurance']);
  });

  it('shows each group’s figures as text, and marks the lowest and highest rates', () => {
    const [woodhouse, chapel] = by('area').rows;
    expect(woodhouse).toMatchObject({ votersText: '40', shareOfVotersText: '66.7%', populationText: '6,632', shareOfPopulationText: '50.3%', rateText: '0.60%', highest: true, lowest: false });
    expect(chapel).toMatchObject({ votersText: '20', shareOfVotersText: '33.3%', rateText: '0.31%', lowest: true });
    expect(by('area').hasPopulation).toBe(true);
  });

  it('explains representativeness: the lowest group’s rate over the highest', () => {
    expect(by('area').score).toBe('Representativeness: 50.6%');
    expect(by('area').explanation).toBe(
      'The lowest participation rate (Chapel Allerton, 0.31%) is 50.6% of the highest (Hyde Park and Woodhouse, 0.60%). 100% would mean every group took part at the same rate.',
    );
    expect(by('decile').explanation).toContain('(decile 10 (least deprived), 0.48%)');
    expect(by('decile').explanation).toContain('(decile 4, 0.50%)');
  });

  it('shows a group too small to show as “fewer than 10”, with no share, rate or bar', () => {
    const small = by('age').rows[1]!;
    expect(small.label.text).toBe('35 to 44');
    expect(small).toMatchObject({ suppressed: true, votersText: 'fewer than 10', shareOfVotersText: 'Not shown', rateText: 'Not shown', votersWidth: 0, populationText: '1,397' });
    expect(by('decile').rows[0]).toMatchObject({ votersText: 'fewer than 10', label: { text: '1 (most deprived)' } });
  });

  it('labels “not known” plainly, with a note saying who it counts', () => {
    const notKnown = by('age').rows.at(-1)!;
    expect(notKnown).toMatchObject({ notKnown: true, label: { text: 'Not known' }, votersText: 'fewer than 10', populationText: 'Not known' });
    expect(by('age').notKnownNote).toBe('“Not known” counts people whose age the council did not have.');
    expect(by('area').notKnownNote).toBeNull();
  });

  it('shows nobody in a group as 0 and 0%, not as hidden', () => {
    expect(by('age').rows[0]).toMatchObject({ votersText: '0', shareOfVotersText: '0%', rateText: '0%', votersWidth: 0 });
    expect(by('channel').rows[0]).toMatchObject({ label: { text: 'Online' }, votersText: '0', shareOfVotersText: '0%' });
  });

  it('draws the bars on one scale, the breakdown’s largest share', () => {
    const [woodhouse, chapel] = by('area').rows;
    expect(woodhouse!.votersWidth).toBe(100);
    expect(woodhouse!.populationWidth).toBe(75);
    expect(chapel!.votersWidth).toBe(50);
  });

  it('gives channels and assurance as shares of those who took part only', () => {
    expect(by('channel').hasPopulation).toBe(false);
    expect(by('channel').score).toBeNull();
    expect(by('channel').explanation).toBe(en.participation.sharesOnly);
    expect(by('channel').rows.map((r) => r.label.text)).toEqual(['Online', 'On paper']);
    expect(by('assurance').rows.map((r) => r.label.text)).toEqual(['A postcode or an email code', 'A text message code, the register or a check in person']);
  });

  it('says when the population figures are missing, and when there is no deprivation look-up', () => {
    const missing = participationView(figures({ eligiblePopulation: null, turnout: null, deprivationKnown: false, byDeprivationDecile: empty }), en);
    expect(missing.populationMissing).toBe(true);
    expect(missing.eligible).toBe('No figures');
    expect(missing.turnout).toBe('No figures');
    expect(missing.breakdowns.find((b) => b.id === 'decile')!.unavailable).toBe(true);
  });

  it('says who is counted when the round has a minimum age', () => {
    const sixteen = participationView(
      figures({ fromAge: 16, byAgeBand: { ...empty, groups: [group({ key: '16-17', ageBand: 'UNDER_18', voters: 12, population: 300, shareOfVoters: 0.2, shareOfPopulation: 0.1, rate: 0.04 })] } }),
      en,
    );
    expect(sixteen.eligibleLabel).toBe('People aged 16 and over living in the round’s areas');
    expect(sixteen.breakdowns.find((b) => b.id === 'age')!.rows[0]!.label.text).toBe('16 to 17');
  });

  it('is in Welsh on a Welsh page, with a Welsh area name where there is one and the English marked', () => {
    const welsh = participationView(figures(), cy);
    const areas = welsh.breakdowns.find((b) => b.id === 'area')!;
    expect(areas.rows[0]!.label.html).toBe('<span lang="en">Hyde Park and Woodhouse</span>');
    expect(areas.rows[1]!.label).toEqual({ text: 'Allerton y Capel', html: 'Allerton y Capel' });
    expect(areas.score).toBe('Pa mor gynrychioliadol: 50.6%');
    expect(welsh.breakdowns.find((b) => b.id === 'age')!.rows[1]!.votersText).toBe('llai na 10');
    expect(welsh.breakdowns.find((b) => b.id === 'channel')!.rows[1]!.label.text).toBe('Ar bapur');
  });
});

describe('the outreach list', () => {
  it('shows small counts as “fewer than 10”, and none as 0', () => {
    const rows = outreachRows(
      [
        { area: { id: '1', name: 'Hyde Park and Woodhouse', nameCy: null }, ageBand: 'UNDER_18', voters: null, population: 920, shareOfVoters: null, shareOfPopulation: 0.07, rate: null, remindersByEmail: 0, remindersByText: null },
        { area: { id: '2', name: 'Chapel Allerton', nameCy: null }, ageBand: 'AGE_75_AND_OVER', voters: 12, population: 458, shareOfVoters: 0.5, shareOfPopulation: 0.035, rate: 12 / 458, remindersByEmail: 14, remindersByText: 0 },
      ],
      16,
      10,
      en,
    );
    expect(rows[0]).toMatchObject({ ageBand: '16 to 17', votersText: 'fewer than 10', shareOfVotersText: 'Not shown', rateText: 'Not shown', remindersByEmailText: '0', remindersByTextText: 'fewer than 10', shareOfPopulationText: '7%' });
    expect(rows[1]).toMatchObject({ ageBand: '75 and over', votersText: '12', shareOfVotersText: '50%', rateText: '2.6%', remindersByEmailText: '14', remindersByTextText: '0' });
  });
});

describe('an area’s population', () => {
  it('lists every age band from under 18, with counts', () => {
    const view = areaPopulationView(
      {
        id: '1',
        name: 'Hyde Park and Woodhouse',
        population: { source: 'ONS', importedAt: '2026-12-07T20:00:00Z', geographies: 4, people: 6632, byAgeBand: [{ band: 'UNDER_18', people: 920 }, { band: 'AGE_18_TO_24', people: 2341 }] },
      },
      en,
    );
    expect(view.population?.peopleText).toBe('6,632');
    expect(view.population?.rows).toEqual([
      { band: 'Under 18', people: '920' },
      { band: '18 to 24', people: '2,341' },
    ]);
    expect(areaPopulationView({ id: '2', name: 'Chapel Allerton', population: null }, en).population).toBeNull();
  });
});
