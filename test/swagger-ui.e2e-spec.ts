import type { Browser, Page } from 'playwright-core';
import { RouteTable } from '../apps/gateway/src/pipeline/route-table';
import { launchChromium } from './support/browser/chromium';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

// A loaded 2-core CI machine can take seconds to start Chromium and render the UI; every wait
// below is event-driven, these bounds only stop a broken page from hanging the suite.
const UI_TIMEOUT = 60_000;
jest.setTimeout(180_000);

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const UI_URLS = ['/swagger', '/swagger/index.html'];

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

/** Opens a Swagger UI page and records every same-origin request that failed or answered >= 400. */
async function openUi(browser: Browser, origin: string, path: string): Promise<{ page: Page; failures: string[] }> {
  const page = await browser.newPage();
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(origin) && response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(origin)) failures.push(`failed ${request.url()}`);
  });
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  await page.goto(`${origin}${path}`);
  await page.locator('.opblock').first().waitFor({ timeout: UI_TIMEOUT });
  return { page, failures };
}

/** "METHOD /path" of every operation the UI rendered. */
function renderedOperations(page: Page): Promise<string[]> {
  return page.locator('.opblock .opblock-summary').evaluateAll((summaries) =>
    summaries.map((summary) => {
      const method = summary.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '?';
      return `${method.toUpperCase()} ${summary.querySelector('[data-path]')?.getAttribute('data-path') ?? '?'}`;
    }),
  );
}

describe('Swagger UI in headless Chromium', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let browser: Browser;
  let documented: string[];

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start();
    gateway = await startTestGateway({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: upstream.baseUrl });
    browser = await launchChromium();
    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as OpenApiDocument;
    documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => HTTP_METHODS.has(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await upstream?.close();
  });

  it('documents every hot-path route next to the Nest controllers', () => {
    const hotRoutes = gateway.app.get(RouteTable).all();
    expect(hotRoutes.length).toBeGreaterThan(0);
    expect(documented).toEqual(expect.arrayContaining(hotRoutes.map((route) => `${route.method} ${route.path}`)));
    expect(documented).toEqual(expect.arrayContaining(['GET /health', 'GET /health/ready', 'GET /v1/models', 'GET /v1/responses/{id}']));
  });

  it.each(UI_URLS)('%s renders every operation with all its assets loading', async (path) => {
    const { page, failures } = await openUi(browser, gateway.url, path);
    try {
      const rendered = await renderedOperations(page);
      expect(rendered).toEqual(expect.arrayContaining(['POST /v1/chat/completions', 'GET /v1/models', 'POST /v1/messages', 'GET /health']));
      expect([...rendered].sort()).toEqual([...documented].sort());
      expect(failures).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each(UI_URLS)('%s: Authorize with the master key, then Try it out on GET /v1/models answers 200', async (path) => {
    const { page } = await openUi(browser, gateway.url, path);
    try {
      await page.locator('.auth-wrapper .btn.authorize').click();
      const dialog = page.locator('.modal-ux');
      await dialog.locator('input[type=text], input[type=password]').first().fill(TEST_MASTER_KEY);
      await dialog.locator('button.authorize').click();
      await dialog.locator('button.btn-done').click();

      const operation = page.locator('.opblock-get').filter({ has: page.locator('.opblock-summary [data-path="/v1/models"]') });
      await operation.locator('.opblock-summary').click();
      await operation.locator('.try-out__btn').click();
      const answer = page.waitForResponse((response) => response.url() === `${gateway.url}/v1/models`, { timeout: UI_TIMEOUT });
      await operation.locator('.execute').click();
      expect((await answer).request().headers().authorization).toBe(`Bearer ${TEST_MASTER_KEY}`);
      const status = operation.locator('.live-responses-table .response .response-col_status');
      await status.waitFor({ timeout: UI_TIMEOUT });
      expect((await status.textContent())?.trim()).toBe('200');
      await expect(operation.locator('.live-responses-table .response .response-col_description').textContent()).resolves.toContain('gpt-4o-mini');
    } finally {
      await page.close();
    }
  });
});
