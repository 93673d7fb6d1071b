// The one mapping from an API refusal to a form error.
import { describe, expect, it } from 'vitest';
import { addApiError, refusal } from '../../src/forms/api-error.js';
import { groupApiErrors } from '../../src/forms/bids.js';
import { staffFieldOf } from '../../src/forms/rounds.js';
import { ApiError } from '../../src/graphql/client.js';
import { en, cy } from '../../src/i18n/index.js';
import { FormErrors } from '../../src/lib/forms.js';

const refused = (...errors: { code: string; message: string; field?: string }[]) => new ApiError(errors);

describe('addApiError', () => {
  it('throws on anything that is not a refusal, and INTERNAL by default', () => {
    expect(() => addApiError(new FormErrors(), new Error('boom'), { field: 'x' })).toThrow('boom');
    expect(() => addApiError(new FormErrors(), refused({ code: 'INTERNAL', message: 'oops' }), { field: 'x' })).toThrow(ApiError);
    expect(() => addApiError(new FormErrors(), refused({ code: 'INTERNAL', message: 'oops' }), { field: 'x', rethrow: [] })).not.toThrow();
    expect(() => refusal(refused({ code: 'NOT_FOUND', message: '' }), { only: ['INVALID_INPUT'] })).toThrow(ApiError);
  });

  it('puts a resident’s refusal beside the field for its code, in the page’s language', () => {
    const e = refused({ code: 'BID_COST_EXCEEDS_POT', message: 'the cost is more than the pot', field: 'costPence' });
    expect(addApiError(new FormErrors(), e, groupApiErrors(en)).list).toEqual([{ text: en.api.BID_COST_EXCEEDS_POT, href: '#cost' }]);
    expect(addApiError(new FormErrors(), e, groupApiErrors(cy)).list).toEqual([{ text: cy.api.BID_COST_EXCEEDS_POT, href: '#cost' }]);
  });

  it('uses the field the API names, renamed to the form’s; on a resident’s form never the API’s own words', () => {
    const e = refused({ code: 'SOMETHING_NEW', message: 'the cost is wrong', field: 'costPence' });
    expect(addApiError(new FormErrors(), e, groupApiErrors(en)).list).toEqual([{ text: en.api['*'], href: '#cost' }]);
    expect(addApiError(new FormErrors(), e, groupApiErrors(cy)).list).toEqual([{ text: cy.api['*'], href: '#cost' }]);
    // Staff forms, in English, show what the API said.
    expect(addApiError(new FormErrors(), e, { field: 'cost' }).list).toEqual([{ text: 'the cost is wrong', href: '#cost' }]);
  });

  it('says what is wrong with a field the API names, in the page’s language, rather than the API’s words', () => {
    const e = refused({ code: 'INVALID_INPUT', message: 'a date of birth cannot be in the future', field: 'dateOfBirth' });
    const mapping = (t: typeof en) => ({ field: 'name', messages: t.api, byCode: {}, fieldOf: (f: string) => (f === 'dateOfBirth' ? 'dob-day' : undefined) });
    expect(addApiError(new FormErrors(), e, mapping(en)).list).toEqual([{ text: 'Date of birth must be a real date in the past', href: '#dob-day' }]);
    expect(addApiError(new FormErrors(), e, mapping(cy)).list).toEqual([{ text: cy.api['INVALID_INPUT:dateOfBirth'], href: '#dob-day' }]);
    expect(JSON.stringify(addApiError(new FormErrors(), e, mapping(cy)).list)).not.toContain('future');
  });

  it('shows every error on staff forms, each beside its field or the form’s own', () => {
    const e = refused({ code: 'INVALID_INPUT', message: 'pick a rule', field: 'countingRule' }, { code: 'INVALID_INPUT', message: 'odd', field: 'unknown' });
    expect(addApiError(new FormErrors(), e, { field: 'title', fieldOf: staffFieldOf, every: true }).list).toEqual([
      { text: 'pick a rule', href: '#rule' },
      { text: 'odd', href: '#title' },
    ]);
  });

  it('takes a text for codes the dictionary lacks', () => {
    const e = refused({ code: 'INVALID_CODE_X', message: 'no' });
    expect(addApiError(new FormErrors(), e, { field: 'code', messages: en.api, text: () => en.signIn.errorCodeWrong }).byField).toEqual({ code: { text: en.signIn.errorCodeWrong } });
  });
});
