import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { PriceDataRefresher } from './price-data-refresher';
import { testPricing } from './pricing-test-support';

// Newer data as the package publishes it: gpt-4o at a price the bundled data does not have.
const REFRESHED = [
  {
    id: 'openai',
    name: 'OpenAI',
    api_pattern: 'https://api\\.openai\\.com',
    models: [{ id: 'gpt-4o', match: { starts_with: 'gpt-4o' }, prices: { input_mtok: 4, output_mtok: 16 } }],
  },
];

describe('PriceDataRefresher (opt-in)', () => {
  let server: Server;
  let url: string;
  let body = JSON.stringify(REFRESHED);

  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.json`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('never fetches unless PRICES_REFRESH_INTERVAL is set', async () => {
    const { pricing } = await testPricing();
    const fetchSpy = jest.spyOn(global, 'fetch');
    new PriceDataRefresher({ priceData: { refreshIntervalMs: 0 } } as AppConfig, pricing).onApplicationBootstrap();
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('swaps in fetched data, and keeps it when a later fetch brings garbage', async () => {
    const { pricing } = await testPricing();
    const target = { provider: 'openai', model: 'gpt-4o' };
    const used = { inputTokens: 1000, outputTokens: 1000, cachedTokens: 0, reasoningTokens: 0 };
    expect(pricing.costOf(target, used)!.total).toBe(12_500);
    const refresher = new PriceDataRefresher({ priceData: { refreshIntervalMs: 60_000, url } } as AppConfig, pricing);
    expect(await refresher.refresh()).toBe(true);
    expect(pricing.costOf(target, used)!.total).toBe(20_000);
    body = '<html>maintenance</html>';
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(await refresher.refresh()).toBe(false);
    expect(pricing.costOf(target, used)!.total).toBe(20_000);
  });
});
