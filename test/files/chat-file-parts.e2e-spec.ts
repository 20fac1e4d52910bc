import OpenAI, { toFile } from 'openai';
import { FakeOpenAIFiles } from '../support/fake-files/fake-openai-files';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

type FilePart = OpenAI.Chat.Completions.ChatCompletionContentPart.File;

describe('chat requests naming an uploaded file by id', () => {
  let fake: FakeOpenAIFiles;
  let gateway: TestGateway;
  let client: OpenAI;
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

  beforeAll(async () => {
    fake = await FakeOpenAIFiles.start();
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'sk-upstream',
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_MODELS: 'gpt-4o-mini',
      MOCK_PROVIDER: 'true',
      FILES_INLINE_MAX_BYTES: '1kb',
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  const ask = (model: string, fileId: string) =>
    client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, { type: 'file', file: { file_id: fileId } } satisfies FilePart] }],
    });

  it('sends a Switchyard file inline (base64 data URL) to a provider that accepts files', async () => {
    const file = await client.files.create({ file: await toFile(pdf, 'paper.pdf'), purpose: 'user_data' });
    const completion = await ask('openai/gpt-4o-mini', file.id);
    expect(completion.choices[0].message.content).toBe('Read it.');
    const sent = fake.requests.filter((request) => request.path === '/v1/chat/completions').at(-1)!.json as { messages: Array<{ content: unknown[] }> };
    expect(sent.messages[0].content[1]).toEqual({ type: 'file', file: { filename: 'paper.pdf', file_data: `data:application/pdf;base64,${pdf.toString('base64')}` } });
  });

  it('refuses, naming the part, for a provider that takes no files, an unknown id, or a file over the inline limit', async () => {
    const file = await client.files.create({ file: await toFile(pdf, 'paper.pdf'), purpose: 'user_data' });
    const refusal = (await ask('mock/echo', file.id).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(refusal.status).toBe(400);
    expect(refusal.param).toBe('messages[0].content[1].file.file_id');
    const unknown = (await ask('openai/gpt-4o-mini', 'file-doesnotexist').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(unknown.status).toBe(404);
    expect(unknown.param).toBe('messages[0].content[1].file.file_id');
    const big = await client.files.create({ file: await toFile(Buffer.alloc(2048, 1), 'big.pdf'), purpose: 'user_data' });
    const tooBig = (await ask('openai/gpt-4o-mini', big.id).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(tooBig.status).toBe(400);
    expect(tooBig.error).toMatchObject({ code: 'file_too_large', param: 'messages[0].content[1].file.file_id' });
  });

  it("does not see another user path's file", async () => {
    const alice = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': 'team-a/alice' } });
    const file = await alice.files.create({ file: await toFile(pdf, 'alice.pdf'), purpose: 'user_data' });
    expect(((await ask('openai/gpt-4o-mini', file.id).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
  });
});
