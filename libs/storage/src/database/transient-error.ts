// Socket-level failures: the database is unreachable, not the data wrong.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATE classes that say the server cannot take the statement now: 08 connection exception,
// 28 authorization (credentials being rotated), 3D database missing, 40 rollback (serialization,
// deadlock), 53 insufficient resources, 55 object not in prerequisite state (`ALLOW_CONNECTIONS
// false`), 57 operator intervention (shutdown, terminated backend), 58 system I/O error.
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '28', '3D', '40', '53', '55', '57', '58']);

// better-sqlite3 codes for a database that is busy, locked, full or unreadable right now.
const TRANSIENT_SQLITE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|NOMEM|READONLY|PROTOCOL|INTERRUPT)/;

// Messages of pg, pg-pool and TypeORM when there is no connection to run a statement on.
const NO_CONNECTION = /connection terminated|not queryable|timeout exceeded when trying to connect|pool after calling end|driver not connected|insert worker exited/i;

function codeOf(error: unknown): string | undefined {
  const value = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = value?.driverError?.code ?? value?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when a failed write says the database is unavailable (so the same rows may succeed later)
 * rather than that the rows themselves were refused (constraint, encoding, type: retrying them
 * cannot help). Anything not known to be transient counts as refused.
 */
export function isTransientStorageError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || TRANSIENT_SQLITE.test(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
  }
  return error instanceof Error && NO_CONNECTION.test(error.message);
}
