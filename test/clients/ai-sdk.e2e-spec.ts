import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { embed, embedMany, generateObject, generateText, type LanguageModel, type ModelMessage, stepCountIs, streamObject, streamText, tool } from 'ai';
import { z } from 'zod';
import { NATIVE_TEXT } from '../support/fake-responses/response-builder';
import { API_KEY, CHAT_MODEL, ClientWorld, RESPONSES_MODEL, type ScriptedRoute, WEATHER_ARGS } from '../support/clients/client-world';

// A red pixel: enough for the SDK to send an image part.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const weather = () =>
  tool({
    description: 'Weather by city',
    inputSchema: z.object({ location: z.string(), unit: z.string().optional() }),
    execute: async ({ location }) => ({ location, temperature: 21 }),
  });
const CITY = z.object({ city: z.string(), temperature: z.number() });

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

let world: ClientWorld;
beforeAll(async () => (world = await ClientWorld.start()));
afterAll(() => world?.close());
beforeEach(() => world.reset());

type ModelFactory = (model: string) => LanguageModel;
const openai = () => createOpenAI({ baseURL: world.openaiBaseURL, apiKey: API_KEY });
const anthropic = () => createAnthropic({ baseURL: world.openaiBaseURL, apiKey: API_KEY });

const CLIENTS: Array<{ name: string; model: ModelFactory; routes: () => ScriptedRoute[] }> = [
  { name: '@ai-sdk/openai chat model', model: (id) => openai().chat(id), routes: () => world.openaiRoutes() },
  { name: '@ai-sdk/openai Responses model', model: (id) => openai().responses(id), routes: () => world.openaiRoutes() },
  { name: '@ai-sdk/anthropic', model: (id) => anthropic()(id), routes: () => world.anthropicRoutes() },
];

describe.each(CLIENTS)('Vercel AI SDK: $name', (client) => {
  describe.each([0, 1])('route %#', (which) => {
    const route = () => client.routes()[which];
    const model = () => client.model(route().model);

    it('generateText and streamText answer with text and usage', async () => {
      route().text('Bonjour !');
      const result = await generateText({ model: model(), prompt: 'Say hi in French' });
      expect(result.text).toBe('Bonjour !');
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      route().text('Salut tout le monde');
      const stream = streamText({ model: model(), prompt: 'Again' });
      let text = '';
      for await (const delta of stream.textStream) text += delta;
      expect(text).toBe('Salut tout le monde');
      expect((await stream.usage).outputTokens).toBeGreaterThan(0);
    });

    it.each(['generate', 'stream'])('runs a tool loop with stopWhen (%s)', async (mode) => {
      route().toolCall();
      route().text('It is 21 degrees in Paris.');
      const options = { model: model(), tools: { get_weather: weather() }, stopWhen: stepCountIs(3), prompt: 'Weather in Paris?' };
      const result = mode === 'generate' ? await generateText(options) : streamText(options);
      expect(await result.text).toBe('It is 21 degrees in Paris.');
      const steps = await result.steps;
      expect(steps[0].toolCalls.map((call) => call.input)).toEqual([WEATHER_ARGS]);
      expect(steps).toHaveLength(2);
      // Step 2 carried the tool result back to the upstream.
      expect(JSON.stringify(route().bodies()[1])).toContain('21');
    });

    it('forces a tool call with toolChoice', async () => {
      route().toolCall();
      const result = await generateText({ model: model(), tools: { get_weather: weather() }, toolChoice: { type: 'tool', toolName: 'get_weather' }, prompt: 'Weather?' });
      expect(result.toolCalls.map((call) => call.toolName)).toEqual(['get_weather']);
      expect(result.toolResults.map((call) => call.output)).toEqual([{ location: 'Paris', temperature: 21 }]);
    });

    it('runs parallel tool calls when the upstream makes them', async () => {
      if (!route().parallelToolCalls) return;
      route().parallelToolCalls!();
      route().text('Both mild.');
      const result = await generateText({ model: model(), tools: { get_weather: weather() }, stopWhen: stepCountIs(3), prompt: 'Paris and Lyon?' });
      expect(result.steps[0].toolCalls.map((call) => call.input)).toEqual([WEATHER_ARGS, { location: 'Lyon', unit: 'celsius' }]);
      expect(result.text).toBe('Both mild.');
    });

    it('generateObject and streamObject parse structured output', async () => {
      const json = JSON.stringify({ city: 'Paris', temperature: 21 });
      route().text(json);
      expect((await generateObject({ model: model(), schema: CITY, prompt: 'Paris weather as JSON' })).object).toEqual({ city: 'Paris', temperature: 21 });
      route().text(json);
      const stream = streamObject({ model: model(), schema: CITY, prompt: 'Again' });
      const partials: unknown[] = [];
      for await (const partial of stream.partialObjectStream) partials.push(partial);
      expect(partials.at(-1)).toEqual({ city: 'Paris', temperature: 21 });
    });

    it('sends an image input', async () => {
      route().text('A red pixel.');
      const result = await generateText({
        model: model(),
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', image: PNG, mediaType: 'image/png' },
            ],
          },
        ],
      });
      expect(result.text).toBe('A red pixel.');
      expect(JSON.stringify(route().bodies()[0])).toContain(PNG.toString('base64'));
    });

    it('holds a two-turn conversation reusing response.messages, and a tool loop across turns', async () => {
      route().toolCall();
      route().text('21 degrees.');
      const messages: ModelMessage[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await generateText({ model: model(), tools: { get_weather: weather() }, stopWhen: stepCountIs(3), messages });
      messages.push(...first.response.messages, { role: 'user', content: 'And tomorrow?' });
      route().text('Also 21.');
      const second = await generateText({ model: model(), tools: { get_weather: weather() }, messages });
      expect(second.text).toBe('Also 21.');
      const sent = JSON.stringify(route().bodies().at(-1));
      expect(sent).toContain('21 degrees.');
      expect(sent).toContain('And tomorrow?');
    });
  });
});

describe('Vercel AI SDK: @ai-sdk/openai Responses model on a native Responses upstream', () => {
  it('generates, streams and holds two turns (item references resolved upstream)', async () => {
    const model = openai().responses(`openai/${RESPONSES_MODEL}`);
    const first = await generateText({ model, prompt: 'Hi' });
    expect(first.text).toBe(NATIVE_TEXT);
    const second = await generateText({ model, messages: [{ role: 'user', content: 'Hi' }, ...first.response.messages, { role: 'user', content: 'More' }] });
    expect(second.text).toBe(NATIVE_TEXT);
    let text = '';
    for await (const delta of streamText({ model, prompt: 'Stream' }).textStream) text += delta;
    expect(text).toBe(NATIVE_TEXT);
  });
});

describe('Vercel AI SDK: embed and embedMany', () => {
  it('embeds one value and many', async () => {
    const model = openai().embedding(`groq/text-embedding-3-small`);
    expect((await embed({ model, value: 'hello' })).embedding).toEqual([5, 0, 0.5]);
    const many = await embedMany({ model, values: ['a', 'abc'] });
    expect(many.embeddings).toEqual([
      [1, 0, 0.5],
      [3, 1, 0.5],
    ]);
    expect(world.chat.requests.at(-1)?.body.model).toBe('text-embedding-3-small');
    expect(CHAT_MODEL).toBeDefined();
  });
});
