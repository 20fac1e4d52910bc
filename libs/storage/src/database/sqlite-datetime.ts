/**
 * An instant as the text TypeORM stores in a SQLite `datetime` column, `YYYY-MM-DD HH:MM:SS.mmm`
 * in UTC, cut from one toISOString(). TypeORM's own formatter builds it from fourteen padded pieces,
 * and the bulk writers convert two or three instants per usage and audit row: it was the largest
 * allocator of the storage path. Undefined for what that shape cannot hold (an invalid date, a
 * year outside 0000–9999): the caller leaves those to TypeORM.
 */
export function sqliteDatetime(instant: Date): string | undefined {
  const time = instant.getTime();
  if (!(time >= FIRST_FOUR_DIGIT_INSTANT && time <= LAST_FOUR_DIGIT_INSTANT)) return undefined;
  const iso = instant.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

// Outside these, toISOString() writes a signed six-digit year.
const FIRST_FOUR_DIGIT_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_FOUR_DIGIT_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
