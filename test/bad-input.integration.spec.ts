import { randomBytes } from 'node:crypto';
import { describeBadInputCorpus } from './bad-input/bad-input-suite';
import { adminQuery, TEST_DATABASE_URL as DATABASE_URL } from '../libs/storage/test/test-databases';

// The same corpus on PostgreSQL, which refuses U+0000 in text (`invalid byte sequence`): ids with
// NUL in paths, queries and bodies must be 400s before any query runs. A database of its own.
describeBadInputCorpus('bad input on every route (PostgreSQL)', async () => {
  const name = `bad_input_it_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, dispose: () => adminQuery(`DROP DATABASE "${name}" WITH (FORCE)`) };
});
