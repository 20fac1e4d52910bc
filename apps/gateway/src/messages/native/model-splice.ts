import { GatewayError } from '@app/core';

const QUOTE = 34; // "
const BACKSLASH = 92;
const STRUCTURE = /["{}[\]]/g;
const MODEL_KEY = '"model"';

/** Start and end (exclusive) of a JSON value in a text. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Rewrites the top-level `model` of a JSON object given as text, leaving every other byte as the
 * client sent it (key order, spacing, number spelling, escapes), so the upstream sees the client's
 * body. The caller has parsed the text already, so it is valid JSON with a string `model`.
 *
 * Strings are skipped with indexOf and only brackets are counted, and the scan stops at the model
 * key unless the text holds other `"model"` keys (a tool schema property, say): then the whole body
 * is scanned, and a second top-level `model` is refused, since JSON.parse (which routed the
 * request) keeps the last one and the upstream might read the first.
 */
export function spliceModel(raw: string, model: string): string {
  const span = topLevelModelSpan(raw);
  return raw.slice(0, span.start) + JSON.stringify(model) + raw.slice(span.end);
}

function topLevelModelSpan(raw: string): Span {
  const single = raw.indexOf(MODEL_KEY) === raw.lastIndexOf(MODEL_KEY);
  let found: Span | undefined;
  let depth = 0;
  STRUCTURE.lastIndex = 0;
  for (let match = STRUCTURE.exec(raw); match !== null; match = STRUCTURE.exec(raw)) {
    const at = match.index;
    const char = raw.charCodeAt(at);
    if (char !== QUOTE) {
      depth += char === 123 || char === 91 ? 1 : -1; // { [ open, } ] close
      continue;
    }
    const end = stringEnd(raw, at);
    STRUCTURE.lastIndex = end;
    if (depth !== 1 || end - at !== MODEL_KEY.length || !raw.startsWith(MODEL_KEY, at)) continue;
    const value = valueAfterKey(raw, end);
    if (value === undefined) continue;
    if (found) throw GatewayError.invalidRequest("The request body has more than one 'model'.", 'model');
    found = value;
    STRUCTURE.lastIndex = value.end;
    if (single) break;
  }
  if (!found) throw GatewayError.invalidRequest("'model' must be a string.", 'model');
  return found;
}

/** Index just past the closing quote of the string that opens at `start`. */
function stringEnd(raw: string, start: number): number {
  let close = raw.indexOf('"', start + 1);
  while (close !== -1 && escaped(raw, close)) close = raw.indexOf('"', close + 1);
  if (close === -1) throw GatewayError.invalidRequest('The request body is not valid JSON.');
  return close + 1;
}

/** A quote is escaped when an odd number of backslashes precede it. */
function escaped(raw: string, quote: number): boolean {
  let count = 0;
  for (let index = quote - 1; raw.charCodeAt(index) === BACKSLASH; index--) count++;
  return count % 2 === 1;
}

/** When a key ends at `keyEnd` (a colon follows), the span of its string value. */
function valueAfterKey(raw: string, keyEnd: number): Span | undefined {
  let index = skipSpace(raw, keyEnd);
  if (raw.charCodeAt(index) !== 58) return undefined; // a string value, not a key
  index = skipSpace(raw, index + 1);
  if (raw.charCodeAt(index) !== QUOTE) throw GatewayError.invalidRequest("'model' must be a string.", 'model');
  return { start: index, end: stringEnd(raw, index) };
}

function skipSpace(raw: string, from: number): number {
  let index = from;
  for (let char = raw.charCodeAt(index); char === 32 || char === 10 || char === 13 || char === 9; char = raw.charCodeAt(++index));
  return index;
}
