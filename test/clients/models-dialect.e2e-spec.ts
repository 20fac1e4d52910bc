import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import AnthropicLegacy from 'anthropic-sdk-legacy';
import { API_KEY, CLAUDE, ClientWorld } from '../support/clients/client-world';

let world: ClientWorld;
beforeAll(async () => (world = await ClientWorld.start()));
afterAll(() => world?.close());

describe('GET /v1/models answers in the dialect of the client', () => {
  it.each([
    ['@anthropic-ai/sdk 1.x (Bearer)', () => new Anthropic({ apiKey: API_KEY, baseURL: world.gateway.url, maxRetries: 0 })],
    ['@anthropic-ai/sdk 0.x (x-api-key)', () => new AnthropicLegacy({ apiKey: API_KEY, baseURL: world.gateway.url, maxRetries: 0 }) as unknown as Anthropic],
  ])('lists and retrieves in Anthropic shape for %s', async (_name, client) => {
    const ids: string[] = [];
    for await (const model of client().models.list({ limit: 2 })) {
      expect(model).toEqual({ type: 'model', id: expect.any(String), display_name: expect.any(String), created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      ids.push(model.id);
    }
    expect(ids).toEqual(expect.arrayContaining([`anthropic/${CLAUDE}`, 'groq/llama-3.3-70b']));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await client().models.retrieve(`anthropic/${CLAUDE}`)).toMatchObject({ type: 'model', id: `anthropic/${CLAUDE}` });
  });

  it('keeps the OpenAI shape for the openai SDK, ids with a slash included', async () => {
    const openai = new OpenAI({ apiKey: API_KEY, baseURL: world.openaiBaseURL, maxRetries: 0 });
    const page = await openai.models.list();
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String) });
    expect(await openai.models.retrieve('groq/llama-3.3-70b')).toMatchObject({ id: 'groq/llama-3.3-70b', object: 'model' });
  });
});
