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
    await inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[1, 'a'], [2, 'b']]);
    expect(rowsIn()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
  });

  it('rejects with the database error and writes nothing of a failing batch', async () => {
    await expect(inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[1, 'a'], [1, 'duplicate']])).rejects.toThrow(/UNIQUE constraint failed/);
    await expect(inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[2, null]])).rejects.toThrow(/NOT NULL/);
    expect(rowsIn()).toEqual([]);
  });

  it('starts a new worker after close', async () => {
    await inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[1, 'a']]);
    await inserter.close();
    await inserter.insert('INSERT INTO t (id, name) VALUES (?, ?)', [[2, 'b']]);
    expect(rowsIn()).toHaveLength(2);
  });
});
