/**
 * Operator prices for the governance tests, through the routing file's `pricing:` section (the
 * production path: the real PricingService reads them): 1 micro-USD per input token (cached or
 * written to the cache alike) and 2 per output token, so expected spend is easy to compute.
 */
export function fixedPricingYaml(models: readonly string[]): string {
  const entries = models.map((model) => `    ${model}: { input_mtok: 1, output_mtok: 2, cache_read_mtok: 1, cache_write_mtok: 1 }`);
  return `pricing:\n  models:\n${entries.join('\n')}\n`;
}
