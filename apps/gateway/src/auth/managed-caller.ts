import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '@app/core';
import { isWithinUserPath, parseUserPath } from '@app/governance';
import type { StoredAuthKey } from '@app/storage';
import type { Caller, Scope } from './caller';

const USER_PATH_HEADER = 'x-switchyard-user-path';

// One Caller per stored key version: the index replaces the object when the key changes, so
// nothing is allocated per request and a stale entry is collected with its key.
const callers = new WeakMap<StoredAuthKey, Caller>();

/** The Caller of a managed key. */
export function managedCaller(key: StoredAuthKey): Caller {
  let caller = callers.get(key);
  if (caller === undefined) {
    caller = {
      keyId: key.id,
      keyName: key.name,
      userPath: key.userPath,
      scopes: new Set<Scope>(key.scopes),
      allowedModels: key.models,
      limits: key.limits,
    };
    callers.set(key, caller);
  }
  return caller;
}

/**
 * The caller, or a copy naming the end user the request says it is for. The master key (and an
 * open gateway) may name any path; a managed key may only narrow its own (`/acme/search/bot`
 * under `/acme/search`), and a key without a path may not claim one: user paths carry budgets,
 * so a key must not charge or exhaust another team's.
 */
export function withUserPath(caller: Caller, headers: IncomingHttpHeaders, anyPath: boolean): Caller {
  const value = headers[USER_PATH_HEADER];
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return caller;
  const parsed = parseUserPath(raw);
  if (!parsed.ok) throw GatewayError.invalidRequest(`The ${USER_PATH_HEADER} header ${parsed.reason}.`, USER_PATH_HEADER, 'invalid_user_path');
  if (parsed.path === caller.userPath) return caller;
  if (!anyPath && (caller.userPath === null || !isWithinUserPath(caller.userPath, parsed.path))) {
    const own = caller.userPath === null ? 'This key has no user path, so it may not set one.' : `This key may only use paths within '${caller.userPath}'.`;
    throw new GatewayError('permission', `User path '${parsed.path}' is not allowed. ${own}`, { code: 'user_path_not_allowed', param: USER_PATH_HEADER });
  }
  return { ...caller, userPath: parsed.path };
}
