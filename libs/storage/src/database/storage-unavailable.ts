import { GatewayError } from '@app/core';
import { QueryFailedError } from 'typeorm';
import { isTransientStorageError } from './transient-error';

/** The database cannot be reached or refuses connections: the client should retry later (503). */
export class StorageUnavailableError extends GatewayError {
  constructor(cause?: unknown) {
    super('unavailable', "The gateway's database is unavailable. Retry the request later.", { code: 'storage_unavailable', cause });
    this.name = 'StorageUnavailableError';
  }
}

/**
 * True when an error thrown by a repository means "the database is down", not "the query is
 * wrong": the same classification the usage writer waits out (isTransientStorageError), except a
 * 55000 from a query that reached the server (`object not in prerequisite state`), which is a real
 * error there and stays a 500; raised while connecting it means `ALLOW_CONNECTIONS false`.
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (error instanceof StorageUnavailableError) return true;
  if (error instanceof QueryFailedError && (error.driverError as { code?: unknown } | undefined)?.code === '55000') return false;
  return isTransientStorageError(error);
}

/** A {@link StorageUnavailableError} for a database outage; any other error unchanged. */
export function asStorageUnavailable(error: unknown): unknown {
  return !(error instanceof StorageUnavailableError) && isStorageUnavailable(error) ? new StorageUnavailableError(error) : error;
}
