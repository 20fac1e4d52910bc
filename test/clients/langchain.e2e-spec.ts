import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, type AIMessageChunk, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { z } from 'zod';
import { API_KEY, ClientWorld, type ScriptedRoute, WEATHER_ARGS } from '../support/clients/client-world';

let world: ClientWorld;
beforeAll(async () => (world = await ClientWorld.start()));
afterAll(() => world?.close());
beforeEach(() => world.reset());

const weather = tool(async ({ location }) => `21 degrees in ${location}`, {
  name: 'get_weather',
  description: 'Weather by city',
  schema: z.object({ location: z.string(), unit: z.string().optional() }),
});

const CLIENTS: Array<{ name: string; chat: (model: string) => BaseChatModel; routes: () => ScriptedRoute[] }> = [
  {
    name: 'ChatOpenAI',
    chat: (model) => new ChatOpenAI({ model, apiKey: API_KEY, configuration: { baseURL: world.openaiBaseURL }, maxRetries: 0 }),
    routes: () => world.openaiRoutes(),
  },
  {
    name: 'ChatOpenAI with useResponsesApi',
    chat: (model) => new ChatOpenAI({ model, apiKey: API_KEY, configuration: { baseURL: world.openaiBaseURL }, useResponsesApi: true, maxRetries: 0 }),
    routes: () => world.openaiRoutes(),
  },
  {
    name: 'ChatAnthropic',
    chat: (model) => new ChatAnthropic({ model, apiKey: API_KEY, anthropicApiUrl: world.gateway.url, maxRetries: 0 }),
    routes: () => world.anthropicRoutes(),
  },
];

describe.each(CLIENTS)('LangChain JS: $name', (client) => {
  describe.each([0, 1])('route %#', (which) => {
    const route = () => client.routes()[which];
    const chat = () => client.chat(route().model);

    it('invokes and streams, with usage (input tokens included) on the stream', async () => {
      route().text('Bonjour !');
      const answer = await chat().invoke('Say hi in French');
      expect(answer.content).toEqual(expect.anything());
      expect(answer.text).toBe('Bonjour !');
      route().text('Salut tout le monde');
      let whole: AIMessageChunk | undefined;
      for await (const chunk of await chat().stream('Again, please')) whole = whole ? whole.concat(chunk) : chunk;
      expect(whole?.text).toBe('Salut tout le monde');
      expect(whole?.usage_metadata?.input_tokens).toBeGreaterThan(0);
      expect(whole?.usage_metadata?.output_tokens).toBeGreaterThan(0);
    });

    it('runs a bindTools round trip', async () => {
      route().toolCall();
      route().text('It is 21 degrees.');
      const model = chat().bindTools!([weather]);
      const question = new HumanMessage('Weather in Paris?');
      const call = (await model.invoke([question])) as AIMessage;
      expect(call.tool_calls?.map((toolCall) => toolCall.args)).toEqual([WEATHER_ARGS]);
      const result = await weather.invoke(call.tool_calls![0]);
      expect(result).toBeInstanceOf(ToolMessage);
      const answer = await model.invoke([question, call, result]);
      expect(answer.text).toBe('It is 21 degrees.');
      expect(JSON.stringify(route().bodies()[1])).toContain('21 degrees in Paris');
    });

    it('answers withStructuredOutput', async () => {
      const schema = z.object({ location: z.string(), unit: z.string() });
      route().toolCall();
      expect(await chat().withStructuredOutput(schema, { name: 'get_weather', method: 'functionCalling' }).invoke('Paris, in celsius')).toEqual(WEATHER_ARGS);
      if (client.name === 'ChatAnthropic') return;
      route().text(JSON.stringify(WEATHER_ARGS));
      expect(await chat().withStructuredOutput(schema, { name: 'get_weather', method: 'jsonSchema' }).invoke('Paris, in celsius')).toEqual(WEATHER_ARGS);
    });
  });
});

describe('LangChain JS: OpenAIEmbeddings', () => {
  it('embeds a query and documents', async () => {
    const embeddings = new OpenAIEmbeddings({ model: 'groq/text-embedding-3-small', apiKey: API_KEY, configuration: { baseURL: world.openaiBaseURL }, maxRetries: 0 });
    expect(await embeddings.embedQuery('hello')).toEqual([5, 0, 0.5]);
    expect(await embeddings.embedDocuments(['a', 'abc'])).toEqual([
      [1, 0, 0.5],
      [3, 1, 0.5],
    ]);
  });
});
