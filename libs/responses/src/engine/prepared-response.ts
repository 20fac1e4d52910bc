import type { ResolvedTarget } from '@app/providers';
import type { ResponseRequestFields } from '../translate/response-request';
import type { JsonObject } from '../translate/response-types';

/** One response ready to run: where it goes, what it sends, and the object it will fill in. */
export interface PreparedResponse {
  readonly id: string;
  readonly createdAt: number;
  readonly fields: ResponseRequestFields;
  /** The creation parameters without `input` (stored, echoed on the object). */
  readonly params: JsonObject;
  readonly target: ResolvedTarget;
  /** The chat body for a translated provider (model rewritten). */
  readonly chatBody: JsonObject;
  /** The response object without output. */
  readonly shell: JsonObject;
  readonly keyId: string | null;
  readonly userPath: string | null;
}

/** The request body without `input`, which is stored as items of its own. */
export function requestParams(body: JsonObject): JsonObject {
  const { input: _input, ...params } = body;
  return params;
}
