import { randomBytes } from 'node:crypto';
import OpenAI, { toFile } from 'openai';
import { FakeOpenAIFiles } from '../support/fake-files/fake-openai-files';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

describe('/v1/files forwarded to a provider (?provider=, provider form field)', () => {
  let fake: FakeOpenAIFiles;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAIFiles.start();
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'sk-upstream-secret',
      OPENAI_BASE_URL: fake.baseUrl,
      ANTHROPIC_API_KEY: 'sk-ant',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  it('uploads to the provider with ?provider=, then retrieves, lists, reads and deletes it there without a hint', async () => {
    const data = randomBytes(300_000);
    const file = await client.files.create({ file: await toFile(data, 'held.bin'), purpose: 'user_data' }, { query: { provider: 'openai' } });
    const held = fake.files.get(file.id);
    expect(held?.content.equals(data)).toBe(true);
    expect(file).toMatchObject({ id: held!.object.id, bytes: data.length, filename: 'held.bin', purpose: 'user_data' });
    const upload = fake.requests.find((request) => request.path === '/v1/files' && request.method === 'POST')!;
    expect(upload.headers.authorization).toBe('Bearer sk-upstream-secret');
    expect(upload.fields).toEqual({ purpose: 'user_data' });

    expect(await client.files.retrieve(file.id)).toMatchObject({ id: file.id, bytes: data.length });
    expect(fake.requests.some((request) => request.method === 'GET' && request.path === `/v1/files/${file.id}`)).toBe(true);
    expect((await client.files.list()).data.map((listed) => listed.id)).toContain(file.id);
    const content = await client.files.content(file.id);
    expect(Buffer.from(await content.arrayBuffer()).equals(data)).toBe(true);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    expect(fake.files.has(file.id)).toBe(false);
    expect((await client.files.retrieve(file.id).catch((error: unknown) => error)) as InstanceType<typeof OpenAI.APIError>).toMatchObject({ status: 404 });
  });

  it('forwards with a provider form field sent before the file, re-encoding the form without it', async () => {
    const body = new FormData();
    body.append('provider', 'openai');
    body.append('file', new Blob(['{"a":1}\n'], { type: 'application/jsonl' }), 'in.jsonl');
    body.append('purpose', 'batch');
    const response = await fetch(`${gateway.url}/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${TEST_MASTER_KEY}` }, body });
    expect(response.status).toBe(200);
    const file = (await response.json()) as { id: string };
    expect(fake.files.get(file.id)?.content.toString()).toBe('{"a":1}\n');
    expect(fake.requests.at(-1)?.fields).toEqual({ purpose: 'batch' });
  });

  it("relays the provider's refusal and refuses providers without a Files API, naming 'provider'", async () => {
    const body = new FormData();
    body.append('file', new Blob(['x']), 'x.txt');
    const missing = await fetch(`${gateway.url}/v1/files?provider=openai`, { method: 'POST', headers: { authorization: `Bearer ${TEST_MASTER_KEY}` }, body });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe('purpose');
    for (const provider of ['anthropic', 'nonexistent']) {
      const error = (await client.files
        .create({ file: await toFile(Buffer.from('x'), 'x.txt'), purpose: 'user_data' }, { query: { provider } })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(400);
      expect(error.param).toBe('provider');
    }
  });
});
