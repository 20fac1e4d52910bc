import { GatewayError } from '@app/core';
import { QueryFailedError } from 'typeorm';
import { asStorageUnavailable, isStorageUnavailable, StorageUnavailableError } from './storage-unavailable';

const pgError = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isStorageUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a database not accepting connections, while connecting', pgError('55000', 'database "x" is not currently accepting connections')],
    ['a terminated backend during a query', failedQuery(pgError('57P01', 'terminating connection due to administrator command'))],
    ['too many connections', pgError('53300')],
    ['a connection exception (class 08)', pgError('08006')],
    ['a connection lost mid-query (no code)', failedQuery(new Error('Connection terminated unexpectedly'))],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
  ])('is true for %s', (_name, error) => {
    expect(isStorageUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', failedQuery(pgError('23505', 'duplicate key value'))],
    ['a 55000 from a query that reached the server', failedQuery(pgError('55000', 'object not in prerequisite state'))],
    ['a syntax error', failedQuery(pgError('42601'))],
    ['a gateway error', GatewayError.invalidRequest('bad')],
    ['a plain error', new Error('boom')],
    ['a non-error', 'ECONNREFUSED'],
  ])('is false for %s', (_name, error) => {
    expect(isStorageUnavailable(error)).toBe(false);
  });
});

describe('asStorageUnavailable', () => {
  it('turns an outage into a 503 storage_unavailable GatewayError keeping the cause, and leaves other errors alone', () => {
    const outage = pgError('57P03');
    const mapped = asStorageUnavailable(outage);
    expect(mapped).toBeInstanceOf(StorageUnavailableError);
    expect(mapped).toMatchObject({ kind: 'unavailable', status: 503, code: 'storage_unavailable', cause: outage });
    const other = new Error('boom');
    expect(asStorageUnavailable(other)).toBe(other);
  });
});
