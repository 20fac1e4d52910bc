import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { RoutePlan } from '@app/providers';
import { type AdmissionOutcome, type AdmissionPolicy, Rejection } from '../apps/gateway/src/pipeline/admission';
import type { Exchange } from '../apps/gateway/src/pipeline/exchange';
import { HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

interface Settlement {
  readonly reservation: string;
  readonly outcome: AdmissionOutcome;
}
const settlements: Settlement[] = [];
let admitted = 0;

/** Reserves one token per request, named by the request id; records every settlement. */
@Injectable()
class CountingPolicy implements AdmissionPolicy<string> {
  admit(exchange: Exchange, plan: RoutePlan): string {
    admitted++;
    return `${exchange.requestId}:${plan.selector}`;
  }

  settle(reservation: string, outcome: AdmissionOutcome): void {
    settlements.push({ reservation, outcome });
  }
}

/** Refuses requests that ask for it, after CountingPolicy admitted them. */
@Injectable()
class RefusingPolicy implements AdmissionPolicy<null> {
  admit(exchange: Exchange): null | Rejection {
    return exchange.request.headers['x-test-refuse'] ? new Rejection(429, 'Budget exhausted for this test.', 'budget_exceeded') : null;
  }

  settle(): void {
    throw new Error('RefusingPolicy admitted nothing that needs settling in these tests');
  }
}

const COMPLETION = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};
const EVENT = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] })}\n\n`;

async function settledFor(requestId: string): Promise<Settlement[]> {
  const mine = () => settlements.filter((entry) => entry.reservation.startsWith(`${requestId}:`));
  for (let tries = 0; tries < 200 && mine().length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
  // Give a second (wrong) settlement time to show up before judging "exactly once".
  await new Promise((resolve) => setTimeout(resolve, 100));
  return mine();
}

describe('admission policies: settled exactly once per admitted request, whatever happened', () => {
  let upstream: HandlerUpstream;
  let gateway: TestGateway;
  let held: ServerResponse[] = [];
  const chat = (requestId: string, body: object, init: RequestInit = {}) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      ...init,
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'x-request-id': requestId, ...(init.headers as object) },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
    });

  beforeAll(async () => {
    upstream = await HandlerUpstream.start();
    gateway = await startTestGateway(
      { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${upstream.origin}/v1`, OPENAI_MODELS: 'gpt-4o-mini', UPSTREAM_MAX_RETRIES: '0' },
      { policies: [CountingPolicy, RefusingPolicy] },
    );
  });
  afterEach(() => {
    for (const res of held) res.destroy();
    held = [];
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('success', async () => {
    upstream.handle = (_request, res) => sendJsonReply(res, 200, COMPLETION);
    const response = await chat('adm-success', {});
    expect(response.status).toBe(200);
    await response.json();
    const settled = await settledFor('adm-success');
    expect(settled).toHaveLength(1);
    expect(settled[0].outcome).toMatchObject({ status: 200, completed: true, usage: { inputTokens: 3, outputTokens: 1 }, provider: 'openai' });
  });

  it('upstream error', async () => {
    upstream.handle = (_request, res) => sendJsonReply(res, 400, { error: { message: 'bad', type: 'invalid_request_error', param: null, code: null } });
    const response = await chat('adm-upstream-error', {});
    expect(response.status).toBe(400);
    await response.text();
    const settled = await settledFor('adm-upstream-error');
    expect(settled).toHaveLength(1);
    expect(settled[0].outcome).toMatchObject({ status: 400, completed: true, errorType: expect.any(String) });
  });

  it('client abort before the first byte', async () => {
    const arrived = new Promise<void>((resolve) => {
      upstream.handle = (_request, res) => {
        held.push(res);
        resolve();
      };
    });
    const abort = new AbortController();
    const pending = chat('adm-abort-early', {}, { signal: abort.signal }).catch(() => undefined);
    await arrived;
    abort.abort();
    await pending;
    const settled = await settledFor('adm-abort-early');
    expect(settled).toHaveLength(1);
    expect(settled[0].outcome).toMatchObject({ status: 499, completed: false, errorType: 'client_closed' });
  });

  it('client abort after the first byte of a stream', async () => {
    upstream.handle = (_request, res) => {
      held.push(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(EVENT);
    };
    const abort = new AbortController();
    const response = await chat('adm-abort-late', { stream: true }, { signal: abort.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"content":"hi"');
    abort.abort();
    await reader.read().catch(() => undefined);
    const settled = await settledFor('adm-abort-late');
    expect(settled).toHaveLength(1);
    expect(settled[0].outcome).toMatchObject({ status: 200, completed: false });
  });

  it('stream cut by the upstream', async () => {
    upstream.handle = (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(EVENT, () => setImmediate(() => res.socket?.destroy()));
    };
    const response = await chat('adm-cut', { stream: true });
    const text = await response.text();
    expect(text).toContain('"error"');
    const settled = await settledFor('adm-cut');
    expect(settled).toHaveLength(1);
    expect(settled[0].outcome).toMatchObject({ status: 200, completed: true, errorType: 'upstream_stream_error' });
  });

  it("a later policy's refusal: the client hears it in its dialect, earlier reservations are settled once, nothing reaches the upstream", async () => {
    const before = upstream.requests.length;
    const response = await chat('adm-refused', {}, { headers: { 'x-test-refuse': '1' } });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ error: expect.objectContaining({ message: 'Budget exhausted for this test.', code: 'budget_exceeded' }) });
    const settled = await settledFor('adm-refused');
    expect(settled).toHaveLength(1);
    expect(settled[0].outcome).toMatchObject({ status: 429, errorType: 'rejected' });
    const messages = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': TEST_MASTER_KEY, 'content-type': 'application/json', 'x-test-refuse': '1' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(messages.status).toBe(429);
    expect(await messages.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Budget exhausted for this test.' } });
    expect(upstream.requests.length).toBe(before);
    expect(admitted).toBeGreaterThanOrEqual(settlements.length);
  });
});
