import { type LabelCatalogue, MetricLabels, OTHER_LABEL } from './metric-labels';

const CATALOGUE: LabelCatalogue = {
  hasProvider: (name) => name === 'openai' || name === 'groq',
  hasModel: (provider, model) => (provider === 'openai' && model.startsWith('gpt-')) || (provider === 'groq' && model === 'llama-3.3-70b'),
};

function labels(catalogue: LabelCatalogue = CATALOGUE): MetricLabels {
  const bounded = new MetricLabels();
  bounded.useCatalogue(catalogue);
  return bounded;
}

describe('MetricLabels', () => {
  it('keeps configured providers and models of their inventory, and maps everything else to other', () => {
    const bounded = labels();
    expect(bounded.provider('openai')).toBe('openai');
    expect(bounded.provider('made-up')).toBe(OTHER_LABEL);
    expect(bounded.model('openai', 'gpt-4o')).toBe('gpt-4o');
    expect(bounded.model('groq', 'llama-3.3-70b')).toBe('llama-3.3-70b');
    // A model of another provider's inventory is not this provider's.
    expect(bounded.model('groq', 'gpt-4o')).toBe(OTHER_LABEL);
    expect(bounded.model('openai', 'client-typed-anything')).toBe(OTHER_LABEL);
    expect(bounded.model('made-up', 'gpt-4o')).toBe(OTHER_LABEL);
  });

  it('names no provider or model before an inventory registers its catalogue', () => {
    const bounded = new MetricLabels();
    expect(bounded.provider('openai')).toBe(OTHER_LABEL);
    expect(bounded.model('openai', 'gpt-4o')).toBe(OTHER_LABEL);
  });

  it('caps distinct model labels even when the inventory lists thousands', () => {
    const bounded = labels({ hasProvider: () => true, hasModel: () => true });
    const values = new Set(Array.from({ length: 5_000 }, (_, i) => bounded.model('openrouter', `model-${i}`)));
    expect(values.size).toBe(1_000 + 1);
    expect(values).toContain(OTHER_LABEL);
    // Admitted values stay stable once the cap is reached.
    expect(bounded.model('openrouter', 'model-0')).toBe('model-0');
  });

  it('caps route labels, and bounds methods, statuses and retry reasons', () => {
    const bounded = labels();
    const routes = new Set(Array.from({ length: 1_000 }, (_, i) => bounded.route(`/raw/${i}`)));
    expect(routes.size).toBe(200 + 1);
    expect(bounded.route('/raw/0')).toBe('/raw/0');
    expect(bounded.method('POST')).toBe('POST');
    expect(bounded.method('PROPFIND')).toBe(OTHER_LABEL);
    expect(bounded.status(200)).toBe('200');
    expect(bounded.status('error')).toBe('error');
    expect(bounded.status(999)).toBe(OTHER_LABEL);
    expect(bounded.status(42)).toBe(OTHER_LABEL);
    expect(bounded.reason('connect_error')).toBe('connect_error');
    expect(bounded.reason('503')).toBe('503');
    expect(bounded.reason('987')).toBe(OTHER_LABEL);
    expect(bounded.reason('Some upstream message with spaces')).toBe(OTHER_LABEL);
  });
});
