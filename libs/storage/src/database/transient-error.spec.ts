import { isTransientStorageError } from './transient-error';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
// TypeORM's QueryFailedError keeps the driver's error beside its own message.
const queryFailed = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

describe('isTransientStorageError', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', queryFailed('ECONNRESET')],
    ['terminated backend (57P01)', queryFailed('57P01')],
    ['database not accepting connections (55000)', withCode('55000')],
    ['too many connections (53300)', withCode('53300')],
    ['deadlock (40P01)', queryFailed('40P01')],
    ['SQLite busy', withCode('SQLITE_BUSY')],
    ['SQLite disk full', withCode('SQLITE_FULL')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['TypeORM: not connected', new Error('Driver not Connected')],
    ['SQLite insert worker gone', new Error('SQLite insert worker exited')],
  ])('%s is transient', (_name, error) => {
    expect(isTransientStorageError(error)).toBe(true);
  });

  it.each([
    ['NUL in text (22021)', queryFailed('22021')],
    ['value too long (22001)', queryFailed('22001')],
    ['not null violation (23502)', queryFailed('23502')],
    ['SQLite NOT NULL constraint', withCode('SQLITE_CONSTRAINT_NOTNULL')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a non-error', 'boom'],
  ])('%s is not transient', (_name, error) => {
    expect(isTransientStorageError(error)).toBe(false);
  });
});
