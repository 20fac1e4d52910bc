import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteBackgroundInserter } from './sqlite-background-inserter';

describe('SqliteBackgroundInserter', () => {
  let root: string;
  let file: string;
  let inserter: SqliteBackgroundInserter;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchyard-inserter-'));
    file = join(root, 'test.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    db.close();
    inserter = new SqliteBackgroundInserter(file);
  });

  afterEach(async () => {
    await inserter.close();
    await rm(root, { recursive: true, force: true });
  });

  const rowsIn = () => {
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id, name FROM t ORDER BY id').all();
    db.close();
    return rows;
  };

  it('inserts a batch on its own connection, visible to others once it resolves', async () => {
    await inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(rowsIn()).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
  });

  it('rejects with the database error and writes nothing of a failing batch', async () => {
    await expect(
      inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [
        [1, 'a'],
        [1, 'duplicate'],
      ]),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    await expect(inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[2, null]])).rejects.toThrow(/NOT NULL/);
    expect(rowsIn()).toEqual([]);
  });

  it('rejects with the SQLite error code, so a refused row is told from a busy database', async () => {
    await expect(inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[2, null]])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
  });

  it('close() lets the inserts in flight finish before it stops the thread', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [i + 1, `row-${i}`]);
    const inserted = inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', rows);
    await inserter.close();
    await expect(inserted).resolves.toBeUndefined();
    expect(rowsIn()).toHaveLength(20_000);
  });

  it('starts a new worker after close', async () => {
    await inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[1, 'a']]);
    await inserter.close();
    await inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[2, 'b']]);
    expect(rowsIn()).toHaveLength(2);
  });
});
