import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FILE_CHUNK_BYTES, FileStore, type FileOwner, FileTooLargeError } from '@app/batches';
import { FilesRepository } from '@app/storage';
import { createTestDatabase, type TestDatabase } from '../../libs/storage/test/test-databases';

const ALICE: FileOwner = { keyId: 'master', userPath: 'team-a/alice' };
const BOB: FileOwner = { keyId: 'master', userPath: 'team-b/bob' };

async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

describe.each(['sqlite', 'postgres'] as const)('FileStore on %s', (kind) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: FilesRepository;
  let store: FileStore;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataSource = new DataSource(db.options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    repository = new FilesRepository(dataSource);
    store = new FileStore(repository, db.config);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.dispose();
  });

  it('stores content in chunks and streams it back byte for byte, visible only to its user path', async () => {
    const data = randomBytes(FILE_CHUNK_BYTES * 2 + 12_345);
    const file = await store.create(ALICE, { filename: 'blob.bin', purpose: 'user_data', contentType: 'image/png' }, pieces(data, 64 * 1024 + 7));
    expect(file).toMatchObject({ object: 'file', bytes: data.length, filename: 'blob.bin', purpose: 'user_data', status: 'processed', expires_at: null });
    expect(file.id).toMatch(/^file-[0-9a-f]{24}$/);
    expect(await dataSource.getRepository('FileChunkEntity').count({ where: { fileId: file.id } })).toBe(3);

    const content = await store.content(ALICE, file.id);
    expect(content?.contentType).toBe('image/png');
    expect((await collect(content!.body)).equals(data)).toBe(true);
    expect(await store.get(BOB, file.id)).toBeUndefined();
    expect(await store.get({ keyId: 'master', userPath: null }, file.id)).toBeUndefined();
    expect(await store.get(null, file.id)).toEqual(file);
    expect(await store.delete(BOB, file.id)).toBe(false);
    expect(await store.delete(ALICE, file.id)).toBe(true);
    expect(await store.content(ALICE, file.id)).toBeUndefined();
  });

  it('refuses content beyond maxBytes and leaves nothing behind', async () => {
    const counts = () => Promise.all([dataSource.getRepository('StoredFileEntity').count(), dataSource.getRepository('FileChunkEntity').count()]);
    const before = await counts();
    await expect(store.create(ALICE, { filename: 'big.jsonl', purpose: 'batch' }, pieces(randomBytes(3_000_000), 100_000), { maxBytes: 2_500_000 })).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    expect(await counts()).toEqual(before);
  });

  it('lists with keyset pagination in both orders, filtered by purpose, hiding expired files', async () => {
    const owner: FileOwner = { keyId: 'k1', userPath: null };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const purpose = i % 2 ? 'batch' : 'assistants';
      ids.push((await store.create(owner, { filename: `f${i}.jsonl`, purpose }, pieces(Buffer.from(`{"i":${i}}\n`), 4))).id);
      // Distinct creation instants: within one millisecond the order falls back to the (random) id.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await store.create(owner, { filename: 'gone.txt', purpose: 'batch', expiresAt: Math.floor(Date.now() / 1000) - 1 }, pieces(Buffer.from('x'), 1));
    const first = await store.list(owner, { limit: 2, order: 'desc' });
    expect(first).toEqual({ data: [expect.objectContaining({ id: ids[4] }), expect.objectContaining({ id: ids[3] })], has_more: true });
    const rest = await store.list(owner, { limit: 10, order: 'desc', after: ids[3] });
    expect(rest.data.map((file) => file.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(rest.has_more).toBe(false);
    expect((await store.list(owner, { limit: 10, order: 'asc', after: ids[1] })).data.map((file) => file.id)).toEqual(ids.slice(2));
    expect((await store.list(owner, { limit: 10, order: 'asc', purpose: 'batch' })).data.map((file) => file.id)).toEqual([ids[1], ids[3]]);
    expect((await store.list({ keyId: 'k2', userPath: null }, { limit: 10, order: 'asc' })).data).toEqual([]);
  });

  it('retention deletes expired files and abandoned uploads with their chunks', async () => {
    const owner: FileOwner = { keyId: 'k3', userPath: null };
    const expired = await store.create(owner, { filename: 'e.bin', purpose: 'user_data', expiresAt: Math.floor(Date.now() / 1000) + 1 }, pieces(randomBytes(10), 10));
    const kept = await store.create(owner, { filename: 'k.bin', purpose: 'user_data' }, pieces(randomBytes(10), 10));
    await repository.insert({ ...(await repository.find(kept.id))!, id: 'file-abandoned', status: 'uploading', createdAt: new Date(Date.now() - 7 * 3_600_000) });
    await repository.insertChunk('file-abandoned', 0, Buffer.from('partial'));
    expect(await repository.deleteExpired(new Date(Date.now() + 2_000), new Date(Date.now() - 6 * 3_600_000), 1)).toBeGreaterThanOrEqual(2);
    expect(await repository.find(expired.id)).toBeNull();
    expect(await repository.find('file-abandoned')).toBeNull();
    expect(await repository.chunk('file-abandoned', 0)).toBeUndefined();
    expect(await store.get(owner, kept.id)).toBeDefined();
  });
});
