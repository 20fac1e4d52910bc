import { providerCustomIds } from './provider-custom-ids';

describe('providerCustomIds', () => {
  it("keeps the client's ids when all fit Anthropic's rule", () => {
    expect(providerCustomIds(['a', 'req_1', 'B-2'])).toEqual(['a', 'req_1', 'B-2']);
  });

  it('numbers every line when one id does not fit, so results map back by the same rule', () => {
    expect(providerCustomIds(['a', 'has space', 'x'.repeat(65)])).toEqual(['line-0', 'line-1', 'line-2']);
  });
});
