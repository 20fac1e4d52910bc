// pg ships no type declarations and @types/pg is not a dependency; this is the slice used here.
interface PgClientBase {
  query(config: unknown, values?: unknown, callback?: unknown): unknown;
  getTypeParser(oid: number, format?: string): (text: string) => unknown;
  setTypeParser(oid: number, parse: (text: string) => unknown): void;
}
type PgClientClass = new (config?: unknown) => PgClientBase;
const { Client } = require('pg') as { Client: PgClientClass };

/** OID of PostgreSQL's `timestamp` (without time zone). */
const TIMESTAMP_OID = 1114;

function toUtcParameter(value: unknown): unknown {
  // ISO text with `Z`: a `timestamp` column drops the zone and keeps the UTC wall clock, a
  // `timestamptz` column reads the instant correctly, so this is right for both.
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value;
}

/**
 * A pg client that keeps `timestamp` columns in UTC whatever the process time zone.
 *
 * By default pg sends a Date in the process's local zone with an offset, which PostgreSQL ignores
 * for `timestamp` (without time zone) columns, and reads such columns back as local time. The
 * round trip then works, but the stored wall clock is local time and differs between replicas
 * running in different zones. Passed to the pool as `extra.Client`, so it applies to Switchyard's
 * DataSource only, not to pg process-wide.
 */
export class UtcPgClient extends Client {
  constructor(config?: unknown) {
    super(config);
    const fallback = this.getTypeParser(TIMESTAMP_OID);
    this.setTypeParser(TIMESTAMP_OID, (text) => {
      const date = new Date(`${text.replace(' ', 'T')}Z`);
      // 'infinity' and BC dates are not ISO; let pg's own parser deal with them.
      return Number.isNaN(date.getTime()) ? fallback(text) : date;
    });
  }

  // TypeORM calls query(text, values); other call shapes pass through untouched.
  override query(config: unknown, values?: unknown, callback?: unknown): unknown {
    const prepared = Array.isArray(values) ? values.map(toUtcParameter) : values;
    return super.query(config, prepared, callback);
  }
}
