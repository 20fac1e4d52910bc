import { GatewayError, isWellFormedId } from '@app/core';

/** `GET /v1/files` parameters, checked. */
export interface FilesListQuery {
  readonly purpose?: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
  readonly after?: string;
}

/** OpenAI's bounds and defaults for listing files. */
const MAX_LIMIT = 10_000;

export function readFilesListQuery(params: URLSearchParams): FilesListQuery {
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? MAX_LIMIT : /^\d{1,6}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw GatewayError.invalidRequest(`Invalid 'limit': expected an integer between 1 and ${MAX_LIMIT}.`, 'limit', 'invalid_value');
  }
  const order = params.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw GatewayError.invalidRequest("Invalid 'order': expected 'asc' or 'desc'.", 'order', 'invalid_value');
  const after = params.get('after') ?? undefined;
  if (after !== undefined && !isWellFormedId(after)) throw GatewayError.invalidRequest("Invalid 'after': expected a file ID.", 'after', 'invalid_id');
  const purpose = params.get('purpose') || undefined;
  return { purpose, limit, order, after };
}

/** `/v1/files/{id}` or `/v1/files/{id}/content` → its parts; undefined for any other path. */
export function parseFilePath(path: string): { id: string; content: boolean } | undefined {
  const match = /^\/v1\/files\/([^/]+)(\/content)?\/?$/.exec(path);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return { id, content: match[2] !== undefined };
}
