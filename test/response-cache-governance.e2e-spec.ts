import OpenAI from 'openai';
import { fixedPricingYaml } from './support/fixed-pricing';
import { HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

/** 30 input tokens at 1 µ$ and 10 output tokens at 2 µ$: each upstream answer costs 50 µ$. */
const COMPLETION = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'cached answer' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40 },
};
const COST = 30 * 1 + 10 * 2;
const TPM = 100_000;

/**
 * What a cache hit does to budgets and token limits: by default nothing (its tokens were not spent
 * upstream), and with CACHE_HITS_CONSUME_TOKEN_LIMITS=true what the answer it replays cost.
 */
describe.each([
  { consume: false, hitCost: 0, hitTokens: 0 },
  { consume: true, hitCost: COST, hitTokens: 40 },
])('cache hits and governance (CACHE_HITS_CONSUME_TOKEN_LIMITS=$consume)', ({ consume, hitCost, hitTokens }) => {
  let upstream: HandlerUpstream;
  let gateway: TestGateway;
  let calls = 0;

  beforeAll(async () => {
    upstream = await HandlerUpstream.start();
    upstream.handle = (request, res) => {
      if (request.path.endsWith('/models')) return sendJsonReply(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] });
      calls++;
      sendJsonReply(res, 200, COMPLETION);
    };
    gateway = await startTestGateway(
      {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${upstream.origin}/v1`,
        OPENAI_MODELS: 'gpt-4o-mini',
        CACHE_ENABLED: 'true',
        CACHE_HITS_CONSUME_TOKEN_LIMITS: String(consume),
        RATE_LIMITS: `user:/hits tpm=${TPM}`,
      },
      { routingYaml: fixedPricingYaml(['openai/gpt-4o-mini']) },
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const admin = (method: string, body?: object) =>
    fetch(`${gateway.url}/admin/budgets`, {
      method,
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });

  async function spent(): Promise<number> {
    const list = (await (await admin('GET')).json()) as { data: { user_path: string | null; spent_micros: number }[] };
    return list.data.find((budget) => budget.user_path === '/hits')!.spent_micros;
  }

  /** Settlement follows the response's close: wait (bounded) until the spend reaches `expected`. */
  async function spentSettles(expected: number): Promise<number> {
    let value = await spent();
    for (let tries = 0; tries < 40 && value !== expected; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await spent();
    }
    return value;
  }

  it('charges the budget and the token window for hits only when configured', async () => {
    expect((await admin('PUT', { user_path: '/hits', period: 'daily', amount_micros: 1_000_000 })).status).toBe(200);
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': '/hits/app' } });
    const body = { model: 'openai/gpt-4o-mini', temperature: 0, max_tokens: 10, messages: [{ role: 'user' as const, content: 'the same question' }] };
    const verdicts: (string | null)[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { data, response } = await client.chat.completions.create(body).withResponse();
      expect(data.choices[0].message.content).toBe('cached answer');
      expect(data.usage?.total_tokens).toBe(40); // the client still sees the answer's usage on a hit
      verdicts.push(response.headers.get('x-switchyard-cache'));
      remaining.push(Number(response.headers.get('x-ratelimit-remaining-tokens')));
      // Each request's settlement lands before the next one is admitted, so the headers compare.
      expect(await spentSettles(COST + i * hitCost)).toBe(COST + i * hitCost);
    }
    expect(verdicts).toEqual(['MISS', 'HIT', 'HIT']);
    expect(calls).toBe(1);

    // The token window: the request's bound is counted at admission and corrected at settlement to
    // what it used, 40 for the miss, and 0 or 40 for each hit.
    const fourth = await client.chat.completions.create(body).withResponse();
    const bound = TPM - remaining[0]; // the first request saw only its own bound counted
    const usedBefore = 40 + 2 * hitTokens;
    expect(Number(fourth.response.headers.get('x-ratelimit-remaining-tokens'))).toBe(TPM - usedBefore - bound);
  });
});
