import { Injectable } from '@nestjs/common';
import type { RoutePlan } from '@app/providers';
import { type AdmissionOutcome, type AdmissionPolicy, Rejection } from '../apps/gateway/src/pipeline/admission';
import type { Exchange } from '../apps/gateway/src/pipeline/exchange';
import { closed, connect, FakeRealtimeUpstream, nextEvent } from './support/fake-realtime';
import { startTestGateway, TEST_MASTER_KEY } from './support/gateway-harness';

const outcomes: AdmissionOutcome[] = [];
let budget = 0;

/** A budget of `budget` responses: each admission takes one; settled with each response's usage. */
@Injectable()
class ResponseBudget implements AdmissionPolicy<number> {
  admit(_exchange: Exchange, _plan: RoutePlan): number | Rejection {
    if (budget === 0) return new Rejection(429, 'Response budget exhausted.', 'budget_exhausted');
    return budget--;
  }

  settle(_reservation: number, outcome: AdmissionOutcome): void {
    outcomes.push(outcome);
  }
}

describe('/v1/realtime admission: per session before the upgrade, settled and re-admitted per response', () => {
  it('settles each response with its usage and closes the session with 1008 once a re-admission is refused', async () => {
    const upstream = await FakeRealtimeUpstream.start('sk-u');
    const gateway = await startTestGateway({ OPENAI_API_KEY: 'sk-u', OPENAI_BASE_URL: upstream.baseUrl }, { policies: [ResponseBudget] });
    const url = `${gateway.url.replace('http://', 'ws://')}/v1/realtime?model=gpt-realtime`;
    const headers = { authorization: `Bearer ${TEST_MASTER_KEY}` };
    try {
      budget = 0;
      const refused = await connect(url, [], { headers });
      expect(refused.refused && refused.status).toBe(429);

      budget = 1;
      const result = await connect(url, [], { headers });
      if (result.refused) throw new Error(`refused ${result.status}`);
      await nextEvent(result.socket, 'session.created');
      const ending = closed(result.socket);
      result.socket.send(JSON.stringify({ type: 'response.create' }));
      await nextEvent(result.socket, 'response.done');
      expect(await ending).toEqual({ code: 1008, reason: 'Response budget exhausted.' });
      expect(outcomes.find((outcome) => outcome.usage)).toMatchObject({
        status: 200,
        completed: true,
        provider: 'openai',
        model: 'gpt-realtime',
        usage: { inputTokens: 132, outputTokens: 121, audioInputTokens: 13, audioOutputTokens: 91 },
      });
    } finally {
      await gateway.close();
      await upstream.close();
    }
  }, 20_000);

  it('admits /p/{provider}/…/realtime too: refused before the upgrade, and a model-limited key must name its model', async () => {
    const upstream = await FakeRealtimeUpstream.start('sk-u');
    const gateway = await startTestGateway({ OPENAI_API_KEY: 'sk-u', OPENAI_BASE_URL: upstream.baseUrl }, { policies: [ResponseBudget] });
    const base = `${gateway.url.replace('http://', 'ws://')}/p/openai/v1/realtime`;
    try {
      budget = 0;
      const refused = await connect(`${base}?model=gpt-realtime`, [], { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
      expect(refused.refused && refused.status).toBe(429);

      const created = await fetch(`${gateway.url}/admin/auth-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'limited', models: ['openai/gpt-realtime'] }),
      });
      const key = (await created.json()) as { value: string };
      budget = 1;
      const unnamed = await connect(base, [], { headers: { authorization: `Bearer ${key.value}` } });
      expect(unnamed.refused && unnamed.status).toBe(403);
      expect(budget).toBe(1);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  }, 20_000);
});
