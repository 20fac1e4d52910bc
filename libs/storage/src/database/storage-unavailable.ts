import { GatewayError } from '@app/core';
import { QueryFailedError } from 'typeorm';

/** The database cannot be reached or refuses connections: the client should retry later (503). */
export class StorageUnavailableError extends GatewayError {
  constructor(cause?: unknown) {
    super('unavailable', "The gateway's database is unavailable. Retry the request later.", { code: 'storage_unavailable', cause });
    this.name = 'StorageUnavailableError';
  }
}

/** Socket-level failures of the database connection (node:net / DNS error codes). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** PostgreSQL SQLSTATEs of a server that is going away, full, or not taking connections now. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres reports a lost or never-established connection by message only, without a code.
const PG_CONNECTION_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * True when an error thrown by a repository means "the database is down", not "the query is
 * wrong": connection failures, SQLSTATE class 08, shutdown/too-many-connections states, and a
 * 55000 raised while connecting (`database … is not currently accepting connections`); 55000 from
 * a query that reached the server is a real error and stays a 500.
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (error instanceof StorageUnavailableError) return true;
  const connecting = !(error instanceof QueryFailedError);
  const driver = (error instanceof QueryFailedError ? error.driverError : error) as { code?: unknown; message?: unknown } | null;
  if (driver === null || typeof driver !== 'object') return false;
  const code = typeof driver.code === 'string' ? driver.code : '';
  if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  if (code === '55000') return connecting;
  return typeof driver.message === 'string' && PG_CONNECTION_MESSAGE.test(driver.message);
}

/** A {@link StorageUnavailableError} for a database outage; any other error unchanged. */
export function asStorageUnavailable(error: unknown): unknown {
  return !(error instanceof StorageUnavailableError) && isStorageUnavailable(error) ? new StorageUnavailableError(error) : error;
}
