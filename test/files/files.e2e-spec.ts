import { randomBytes } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

const JSONL =
  '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m","messages":[]}}\n{"custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{}}\n';

describe('/v1/files through the gateway (official openai SDK)', () => {
  let gateway: TestGateway;
  let client: OpenAI;
  const asUser = (userPath: string) => new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': userPath } });

  beforeAll(async () => {
    gateway = await startTestGateway({ FILES_MAX_BYTES: '3mb' });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('uploads a batch JSONL file, waits for processing, retrieves it and reads its content back', async () => {
    const before = Math.floor(Date.now() / 1000);
    const file = await client.files.create({ file: await toFile(Buffer.from(JSONL), 'in.jsonl'), purpose: 'batch' });
    expect(file).toEqual({
      id: expect.stringMatching(/^file-/),
      object: 'file',
      bytes: Buffer.byteLength(JSONL),
      created_at: expect.any(Number),
      expires_at: file.created_at + 30 * 86_400,
      filename: 'in.jsonl',
      purpose: 'batch',
      status: 'processed',
      status_details: null,
    });
    expect(file.created_at).toBeGreaterThanOrEqual(before);
    expect(await client.files.waitForProcessing(file.id)).toEqual(file);
    expect(await client.files.retrieve(file.id)).toEqual(file);
    const content = await client.files.content(file.id);
    expect(content.headers.get('content-type')).toBe('application/jsonl');
    expect(await content.text()).toBe(JSONL);
  });

  it('round-trips a binary file byte for byte, uploaded from a read stream', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 333);
    const path = join(gateway.dataDir, 'blob.bin');
    writeFileSync(path, data);
    const file = await client.files.create({ file: createReadStream(path), purpose: 'user_data', expires_after: { anchor: 'created_at', seconds: 3600 } });
    expect(file).toMatchObject({ bytes: data.length, filename: 'blob.bin', purpose: 'user_data', expires_at: file.created_at + 3600 });
    const content = await client.files.content(file.id);
    expect(Buffer.from(await content.arrayBuffer()).equals(data)).toBe(true);
  });

  it('lists with pagination (the SDK auto-paginates), by purpose and in both orders', async () => {
    const user = asUser('team-list/carol');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await user.files.create({ file: await toFile(Buffer.from(`{"i":${i}}\n`), `f${i}.jsonl`), purpose: i % 2 ? 'batch' : 'assistants' })).id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = await user.files.list({ limit: 2 });
    expect(first.data.map((file) => file.id)).toEqual([ids[4], ids[3]]);
    expect(first.has_more).toBe(true);
    const all: string[] = [];
    for await (const file of user.files.list({ limit: 2 })) all.push(file.id);
    expect(all).toEqual([...ids].reverse());
    const ascending: string[] = [];
    for await (const file of user.files.list({ limit: 2, order: 'asc', purpose: 'batch' })) ascending.push(file.id);
    expect(ascending).toEqual([ids[1], ids[3]]);
    const raw = (await (
      await fetch(`${gateway.url}/v1/files?limit=2&order=asc`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'x-switchyard-user-path': 'team-list/carol' } })
    ).json()) as Record<string, unknown>;
    expect(raw).toMatchObject({ object: 'list', has_more: true, first_id: ids[0], last_id: ids[1] });
  });

  it("hides a user path's files from another user path (404) and deletes them", async () => {
    const alice = asUser('team-a/alice');
    const file = await alice.files.create({ file: await toFile(Buffer.from('hello'), 'note.txt', { type: 'text/plain' }), purpose: 'user_data' });
    const bob = asUser('team-b/bob');
    expect((await rejection(bob.files.retrieve(file.id))).status).toBe(404);
    expect((await rejection(bob.files.content(file.id))).status).toBe(404);
    expect((await rejection(bob.files.delete(file.id))).status).toBe(404);
    expect((await rejection(client.files.retrieve(file.id))).status).toBe(404);
    expect((await bob.files.list()).data.map((f) => f.id)).not.toContain(file.id);
    const content = await alice.files.content(file.id);
    expect(content.headers.get('content-type')).toBe('text/plain');
    expect(await alice.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    const gone = await rejection(alice.files.retrieve(file.id));
    expect(gone.status).toBe(404);
    expect(gone.error).toMatchObject({ message: `No such File object: ${file.id}`, param: 'id' });
  });

  it('refuses an upload beyond FILES_MAX_BYTES with a 413 in the OpenAI envelope, keeping nothing', async () => {
    const user = asUser('team-big/dave');
    const error = await rejection(user.files.create({ file: await toFile(randomBytes(4 * 1024 * 1024), 'big.bin'), purpose: 'user_data' }));
    expect(error.status).toBe(413);
    expect(error.error).toMatchObject({ code: 'file_too_large', param: 'file' });
    expect((await user.files.list()).data).toEqual([]);
  });

  it('names the field at fault: missing file, bad purpose, bad expiry, invalid batch JSONL', async () => {
    const form = (parts: Record<string, string | Blob>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(parts)) body.append(name, value);
      return fetch(`${gateway.url}/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${TEST_MASTER_KEY}` }, body });
    };
    const cases: Array<[Record<string, string | Blob>, string]> = [
      [{ purpose: 'batch' }, 'file'],
      [{ file: new Blob(['x']) }, 'purpose'],
      [{ file: new Blob(['x']), purpose: 'nonsense' }, 'purpose'],
      [{ file: new Blob(['x']), purpose: 'user_data', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '5' }, 'expires_after.seconds'],
      [{ file: new Blob(['{"a":1}\nnot json\n']), purpose: 'batch' }, 'file'],
    ];
    for (const [parts, param] of cases) {
      const response = await form(parts);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param);
    }
    const json = await fetch(`${gateway.url}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect((await rejection(client.files.retrieve('file-nope'))).status).toBe(404);
    expect((await rejection(client.files.retrieve('bad id!'))).status).toBe(400);
    const unauthenticated = await fetch(`${gateway.url}/v1/files`);
    expect(unauthenticated.status).toBe(401);
  });
});
