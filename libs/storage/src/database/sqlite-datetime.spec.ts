import { DateUtils } from 'typeorm/util/DateUtils';
import { sqliteDatetime } from './sqlite-datetime';

describe('sqliteDatetime', () => {
  it('writes exactly what TypeORM writes into a SQLite datetime column', () => {
    const instants = [
      new Date('2026-12-03T18:40:05.007Z'),
      new Date('2026-01-01T00:00:00.000Z'),
      new Date('1999-12-31T23:59:59.999Z'),
      new Date('1970-01-01T00:00:00.000Z'),
      new Date('0000-01-01T00:00:00.000Z'),
      new Date('0999-06-15T12:30:45.120Z'),
      new Date('9999-12-31T23:59:59.999Z'),
    ];
    // A spread of instants across four centuries, milliseconds included.
    let seed = 7;
    for (let index = 0; index < 500; index++) {
      seed = (seed * 48271) % 2147483647;
      instants.push(new Date(Date.UTC(1900, 0, 1) + (seed / 2147483647) * 400 * 365.25 * 86_400_000));
    }
    for (const instant of instants) expect(sqliteDatetime(instant)).toBe(DateUtils.mixedDateToUtcDatetimeString(instant));
  });

  it('leaves to TypeORM what the ISO form cannot hold in four year digits', () => {
    expect(sqliteDatetime(new Date(Number.NaN))).toBeUndefined();
    expect(sqliteDatetime(new Date('+010000-01-01T00:00:00.000Z'))).toBeUndefined();
    expect(sqliteDatetime(new Date('-000001-12-31T23:59:59.999Z'))).toBeUndefined();
  });
});
