import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import OpenAI from 'openai';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './support/browser/chromium';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { until } from './support/until';

const UI_TIMEOUT = 60_000;
const OUTPUT = 'test-output/dashboard';
const PAGES = ['/', '/usage', '/audit', '/keys', '/budgets', '/models', '/providers', '/settings'];
jest.setTimeout(240_000);

describe('operator dashboard in headless Chromium', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // The gateway serves dist/dashboard: bundle it as `npm run build` does.
    execFileSync(process.execPath, ['apps/dashboard/build.mjs']);
    mkdirSync(OUTPUT, { recursive: true });
    upstream = await FakeOpenAIUpstream.start();
    gateway = await startTestGateway({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: upstream.baseUrl });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });
  afterEach(async () => {
    const state = expect.getState();
    if (page && state.currentTestName) await page.screenshot({ path: `${OUTPUT}/${state.currentTestName.replace(/\W+/g, '-')}.png`, fullPage: true }).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await upstream?.close();
  });

  const refreshUntilVisible = (target: Locator, what: string) =>
    until(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return target.waitFor({ timeout: 1_000 }).then(
          () => true,
          () => undefined,
        );
      },
      UI_TIMEOUT,
      what,
    );
  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });

  it('serves only its own static paths without a key, with a CSP; the rest of /admin still needs one', async () => {
    const index = await fetch(`${gateway.url}/admin/dashboard`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const script = /src="([^"]+\.js)"/.exec(await index.text())![1];
    const asset = await fetch(`${gateway.url}${script}`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${gateway.url}/admin/usage/summary`)).status).toBe(401);
  });

  it('logs in with the master key and the overview chart shows the requests just made', async () => {
    for (let i = 0; i < 3; i++) await client(TEST_MASTER_KEY).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    // Usage rows land a flush after the answers: wait for the admin API to count them, so the page
    // below is checked on what it renders, not on whether it loaded before or after the flush.
    const summary = async () =>
      ((await (await fetch(`${gateway.url}/admin/usage/summary?days=30`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } })).json()) as { requests: number }).requests;
    await until(async () => ((await summary()) === 3 ? true : undefined), UI_TIMEOUT, 'three usage rows');
    await page.goto(`${gateway.url}/admin/dashboard`);
    await page.getByLabel('Admin key').fill(TEST_MASTER_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-chart="Requests"] canvas').waitFor({ timeout: UI_TIMEOUT });
    await expect(page.locator('[data-stat="Requests"]').textContent()).resolves.toBe('3');
    expect(await page.evaluate("sessionStorage.getItem('switchyard.adminKey')")).toBe(TEST_MASTER_KEY);
  });

  it('creates a key, which works with the SDK, shows in the live tail and audit log, and is refused once deactivated', async () => {
    await page.goto(`${gateway.url}/admin/dashboard#/keys`);
    await page.getByLabel('Name').fill('browser-key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key-secret').textContent({ timeout: UI_TIMEOUT }))!.trim();
    expect(secret.length).toBeGreaterThan(20);

    await page.goto(`${gateway.url}/admin/dashboard#/audit`);
    await page.getByText('Waiting for requests…').first().waitFor({ timeout: UI_TIMEOUT });
    await client(secret).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
    const tail = page.locator('section[aria-label="Live tail"]');
    await tail.getByText('browser-key').waitFor({ timeout: UI_TIMEOUT });
    // The live tail shows a request as it finishes; its audit row is written by the batch writer
    // a flush later (USAGE_FLUSH_INTERVAL, longer on a loaded machine). Refresh as an operator would
    // until the row is there, instead of betting that one click comes after the flush.
    await refreshUntilVisible(page.locator('section[aria-label="Requests"]').getByText('browser-key').first(), 'the key in the Requests table');

    await page.goto(`${gateway.url}/admin/dashboard#/keys`);
    await page.getByRole('button', { name: 'Deactivate browser-key' }).click();
    await page.getByText('inactive').waitFor({ timeout: UI_TIMEOUT });
    await expect(client(secret).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401 });
  });

  it('edits a key’s limits, expiry and budget, and sets a user-path budget', async () => {
    const admin = { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' };
    const created = (await (await fetch(`${gateway.url}/admin/auth-keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'edit-key' }) })).json()) as {
      id: string;
    };
    // The previous test ended on the Keys page: a goto to the same hash would not load the new key.
    await page.goto(`${gateway.url}/admin/dashboard#/keys`);
    await page.reload();
    await page.getByRole('button', { name: 'Edit edit-key' }).click();
    const form = page.getByRole('form', { name: 'Edit edit-key' });
    await form.getByLabel('Requests per minute').fill('7');
    await form.getByLabel('Expires at').fill('2030-01-01T00:00:00Z');
    await form.getByLabel('Budget in USD').fill('2.5');
    await form.getByLabel('Budget period').selectOption('daily');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('7 rpm, ∞ tpm').waitFor({ timeout: UI_TIMEOUT });
    await page.getByText('$0.00 of $2.50 daily').waitFor({ timeout: UI_TIMEOUT });

    const key = (await (await fetch(`${gateway.url}/admin/auth-keys/${created.id}`, { headers: admin })).json()) as { limits: { requests_per_minute: number }; expires_at: string };
    expect(key.limits.requests_per_minute).toBe(7);
    expect(Date.parse(key.expires_at)).toBe(Date.parse('2030-01-01T00:00:00Z'));
    const budgets = (await (await fetch(`${gateway.url}/admin/budgets`, { headers: admin })).json()) as {
      data: { key_id: string | null; user_path: string | null; period: string; amount_micros: number }[];
    };
    expect(budgets.data).toContainEqual(expect.objectContaining({ key_id: created.id, period: 'daily', amount_micros: 2_500_000 }));

    await page.goto(`${gateway.url}/admin/dashboard#/budgets`);
    const budgetForm = page.getByRole('form', { name: 'Set a budget' });
    await budgetForm.getByRole('textbox', { name: 'User path' }).fill('/browser-team');
    await budgetForm.getByLabel('Amount in USD').fill('10');
    await budgetForm.getByRole('button', { name: 'Save budget' }).click();
    await page.getByText('path /browser-team').waitFor({ timeout: UI_TIMEOUT });
    const after = (await (await fetch(`${gateway.url}/admin/budgets`, { headers: admin })).json()) as typeof budgets;
    expect(after.data).toContainEqual(expect.objectContaining({ user_path: '/browser-team', period: 'monthly', amount_micros: 10_000_000 }));
  });

  it.each([1280, 390])('every page renders without console errors at %i px', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    for (const path of PAGES) {
      await page.goto(`${gateway.url}/admin/dashboard#${path}`);
      await page.locator('main h1').waitFor({ timeout: UI_TIMEOUT });
      // Best effort: a page with a live stream never goes network-idle, so this waits briefly at most.
      await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
      await page.screenshot({ path: `${OUTPUT}/${path.slice(1) || 'overview'}-${width}.png`, fullPage: true });
      expect(await page.locator('.error').allTextContents()).toEqual([]);
    }
    expect(problems).toEqual([]);
  });
});
