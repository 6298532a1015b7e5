import { arr, obj, opt, req, server, text } from './fixtures';
import { checkCrossRules } from '../../../contracts/validation/cross-rules';
import { validate } from '../../../contracts/validation';
import { eachForm, exampleOf } from '../support';

// A declaration shaped like DisposalFeedback (Annex 5): the reason is required when anything is left undisposed.
const feedback = obj(
  {
    undisposedControlServers: opt(arr(server, 'server'), ['未处置的控制服务器', 'undisposed control servers']),
    undisposedDistributionServers: opt(arr(server, 'server'), ['未处置的传播服务器', 'undisposed distribution servers']),
    undisposedReason: opt(text(2000), ['未处置的原因', 'reason left undisposed']),
    reporter: req(text(50), ['填报人', 'reporter']),
  },
  [{ rule: 'required-when-any', field: 'undisposedReason', when: ['undisposedControlServers', 'undisposedDistributionServers'], source: 'Annex 5', message: 'say why servers were left undisposed' }],
);

describe('declared cross-field rules', () => {
  it('requires the field when any trigger is given, not when they are absent or empty', () => {
    expect(checkCrossRules({ reporter: 'x' }, feedback, 'body')).toEqual([]);
    expect(checkCrossRules({ undisposedControlServers: [] }, feedback, 'body')).toEqual([]);
    const errors = checkCrossRules({ undisposedDistributionServers: [{ ip: '192.0.2.1' }] }, feedback, 'body');
    expect(errors).toEqual([
      {
        code: 'contract.required-when',
        path: 'body.undisposedReason',
        message: 'reason left undisposed (未处置的原因) is required because undisposedDistributionServers is given: say why servers were left undisposed',
        source: 'Annex 5',
      },
    ]);
    expect(checkCrossRules({ undisposedControlServers: [{ ip: '192.0.2.1' }], undisposedReason: '境外服务器' }, feedback, 'body')).toEqual([]);
  });

  it('is applied by validate to every declared form whose example gives a trigger', () => {
    let checked = 0;
    for (const [, form] of eachForm) {
      for (const rule of form.body.rules ?? []) {
        const doc = exampleOf(form);
        const body = doc.body as Record<string, unknown>;
        if (!rule.when.some((w) => body[w] !== undefined)) continue;
        delete body[rule.field];
        const r = validate(doc);
        expect(r.errors.map((e) => [e.code, e.path])).toEqual([['contract.required-when', `body.${rule.field}`]]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0); // DisposalFeedback declares undisposedReason required-when-any
  });
});
