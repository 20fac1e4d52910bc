import { tool } from '@llamaindex/core/tools';
import { OpenAI } from '@llamaindex/openai';
import { agent } from '@llamaindex/workflow';
import { z } from 'zod';
import { API_KEY, ClientWorld, type ScriptedRoute } from '../support/clients/client-world';

let world: ClientWorld;
beforeAll(async () => (world = await ClientWorld.start()));
afterAll(() => world?.close());
beforeEach(() => world.reset());

const weather = tool({
  name: 'get_weather',
  description: 'Weather by city',
  parameters: z.object({ location: z.string(), unit: z.string().optional() }),
  execute: ({ location }) => `21 degrees in ${location}`,
});

describe.each([0, 1])('LlamaIndex @llamaindex/openai, route %#', (which) => {
  const route = (): ScriptedRoute => world.openaiRoutes()[which];
  // The model name decides LlamaIndex's feature checks; the gateway's routing prefix is kept as is.
  const llm = () => new OpenAI({ model: route().model, apiKey: API_KEY, baseURL: world.openaiBaseURL, maxRetries: 0 });

  it('chats and streams', async () => {
    route().text('Bonjour !');
    const answer = await llm().chat({ messages: [{ role: 'user', content: 'Say hi in French' }] });
    expect(answer.message.content).toBe('Bonjour !');
    route().text('Salut tout le monde');
    let text = '';
    for await (const chunk of await llm().chat({ messages: [{ role: 'user', content: 'Again' }], stream: true })) text += chunk.delta;
    expect(text).toBe('Salut tout le monde');
  });

  it('runs a tool-calling agent', async () => {
    route().toolCall();
    route().text('It is 21 degrees.');
    const helper = agent({ llm: llm(), tools: [weather] });
    const result = await helper.run('Weather in Paris?');
    expect(result.data.result).toBe('It is 21 degrees.');
    expect(JSON.stringify(route().bodies()[1])).toContain('21 degrees in Paris');
  });
});
