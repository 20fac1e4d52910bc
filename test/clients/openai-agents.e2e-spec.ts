import { Agent, OpenAIChatCompletionsModel, OpenAIResponsesModel, run, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';
import { API_KEY, ClientWorld, type ScriptedRoute } from '../support/clients/client-world';

setTracingDisabled(true);

let world: ClientWorld;
beforeAll(async () => (world = await ClientWorld.start()));
afterAll(() => world?.close());
beforeEach(() => world.reset());

const weather = tool({
  name: 'get_weather',
  description: 'Weather by city',
  parameters: z.object({ location: z.string(), unit: z.string().nullable() }),
  execute: async ({ location }) => `21 degrees in ${location}`,
});

const openai = () => new OpenAI({ apiKey: API_KEY, baseURL: world.openaiBaseURL, maxRetries: 0 });
const MODELS = [
  { name: 'OpenAIResponsesModel', model: (id: string) => new OpenAIResponsesModel(openai(), id) },
  { name: 'OpenAIChatCompletionsModel', model: (id: string) => new OpenAIChatCompletionsModel(openai(), id) },
];

describe.each(MODELS)('OpenAI Agents SDK: $name', (kind) => {
  describe.each([0, 1])('route %#', (which) => {
    const route = (): ScriptedRoute => world.openaiRoutes()[which];
    const agent = (extra: Partial<ConstructorParameters<typeof Agent>[0]> = {}) =>
      new Agent({ name: 'helper', instructions: 'Be brief.', model: kind.model(route().model), tools: [weather], ...extra });

    it('runs with a function tool, then streamed', async () => {
      route().toolCall();
      route().text('It is 21 degrees.');
      const result = await run(agent(), 'Weather in Paris?');
      expect(result.finalOutput).toBe('It is 21 degrees.');
      expect(JSON.stringify(route().bodies()[1])).toContain('21 degrees in Paris');
      route().text('Streamed answer');
      const streamed = await run(agent(), 'Stream it', { stream: true });
      let text = '';
      for await (const chunk of streamed.toTextStream()) text += chunk;
      await streamed.completed;
      expect(text).toBe('Streamed answer');
    });

    it('answers with an outputType', async () => {
      route().text(JSON.stringify({ city: 'Paris', temperature: 21 }));
      const result = await run(agent({ tools: [], outputType: z.object({ city: z.string(), temperature: z.number() }) }), 'Paris weather');
      expect(result.finalOutput).toEqual({ city: 'Paris', temperature: 21 });
    });

    it('holds two turns with previousResponseId, and with a conversation', async () => {
      if (kind.name !== 'OpenAIResponsesModel') return;
      route().text('First.');
      const first = await run(agent({ tools: [] }), 'One');
      route().text('Second.');
      const second = await run(agent({ tools: [] }), 'Two', { previousResponseId: first.lastResponseId });
      expect(second.finalOutput).toBe('Second.');
      expect(JSON.stringify(route().bodies().at(-1))).toContain('First.');
      const conversation = await openai().conversations.create({});
      route().text('Third.');
      await run(agent({ tools: [] }), 'Three', { conversationId: conversation.id });
      route().text('Fourth.');
      expect((await run(agent({ tools: [] }), 'Four', { conversationId: conversation.id })).finalOutput).toBe('Fourth.');
      expect(JSON.stringify(route().bodies().at(-1))).toContain('Third.');
    });
  });
});
