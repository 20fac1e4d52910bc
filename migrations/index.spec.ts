import { readdirSync } from 'node:fs';
import { MIGRATIONS } from '.';

// `npm run migration:create` writes a file but cannot register it: MIGRATIONS is an explicit list.
describe('MIGRATIONS', () => {
  const files = readdirSync(__dirname)
    .filter((file) => /^\d+-.*\.ts$/.test(file) && !file.endsWith('.spec.ts'))
    .sort();

  it('registers every migration file in migrations/, oldest first', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads each migration file found on disk by its name, to compare with the list; jest runs CommonJS
    const exported = files.flatMap((file) => Object.values(require(`./${file}`) as Record<string, unknown>).filter((value) => typeof value === 'function'));
    expect(exported).toHaveLength(files.length);
    expect(MIGRATIONS).toEqual(exported);
  });

  it('names each class after its file timestamp, which orders them', () => {
    expect(MIGRATIONS.map((migration) => /\d+$/.exec(migration.name)?.[0])).toEqual(files.map((file) => file.split('-')[0]));
  });
});
