import OpenAI from 'openai';
import { API_KEY, CLAUDE, ClientWorld } from '../support/clients/client-world';

let world: ClientWorld;
beforeAll(async () => (world = await ClientWorld.start()));
afterAll(() => world?.close());

describe('translated /v1/responses: item_reference input items', () => {
  const openai = () => new OpenAI({ apiKey: API_KEY, baseURL: world.openaiBaseURL, maxRetries: 0 });

  it('sends the stored item it names, and answers 400 naming an id found nowhere', async () => {
    world.anthropic.enqueue({ kind: 'ok', content: 'First answer.' }, { kind: 'ok', content: 'Second.' });
    const first = await openai().responses.create({ model: `anthropic/${CLAUDE}`, input: 'One' });
    const second = await openai().responses.create({
      model: `anthropic/${CLAUDE}`,
      input: [
        { role: 'user', content: 'One' },
        { type: 'item_reference', id: first.output[0].id! },
        { role: 'user', content: 'Two' },
      ],
    });
    expect(second.output_text).toBe('Second.');
    expect(world.anthropic.messageRequests.at(-1)?.body.messages).toEqual([
      { role: 'user', content: 'One' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'Two' },
    ]);
    const unknown = `msg_${first.id.slice(5)}_9`;
    const error = await openai()
      .responses.create({
        model: `anthropic/${CLAUDE}`,
        input: [
          { type: 'item_reference', id: unknown },
          { role: 'user', content: 'Two' },
        ],
      })
      .catch((rejection: { status: number; error: { param: string; message: string } }) => rejection);
    expect(error).toMatchObject({ status: 400, error: { param: 'input[0].id', message: expect.stringContaining(unknown) } });
  });
});
