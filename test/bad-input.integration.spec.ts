import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { describeBadInputCorpus } from './bad-input/bad-input-suite';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function adminQuery(sql: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: DATABASE_URL });
  await admin.initialize();
  try {
    await admin.query(sql);
  } finally {
    await admin.destroy();
  }
}

// The same corpus on PostgreSQL, which refuses U+0000 in text (`invalid byte sequence`): ids with
// NUL in paths, queries and bodies must be 400s before any query runs. A database of its own.
describeBadInputCorpus('bad input on every route (PostgreSQL)', async () => {
  const name = `bad_input_it_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, dispose: () => adminQuery(`DROP DATABASE "${name}" WITH (FORCE)`) };
});
