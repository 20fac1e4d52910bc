const USAGE_KEY = '"usage"';
// After a top-level `usage` object only scalar top-level fields may follow (OpenAI appends
// `service_tier` and `system_fingerprint`), then the final brace. A nested `usage` would be
// followed by a second closing brace or bracket, so this also proves the object is top-level.
const TOP_LEVEL_TAIL = /^\s*(?:,\s*"[\w-]+"\s*:\s*(?:"(?:[^"\\]|\\.)*"|null|true|false|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*)*\}\s*$/;
const MAX_TAIL = 4_096;

/**
 * The top-level `usage` of a JSON answer, read from the end of the body without parsing the rest:
 * OpenAI and the gateway's own translations put it last, and an embeddings answer can be megabytes
 * of floats before it. Anything else (usage elsewhere, absent, odd layout) falls back to a full parse.
 */
export function usageOfJsonBody(body: Buffer): unknown {
  const keyAt = body.lastIndexOf(USAGE_KEY);
  if (keyAt !== -1) {
    const tail = body.subarray(keyAt + USAGE_KEY.length).toString('utf8');
    const parsed = trailingUsage(tail);
    if (parsed !== undefined) return parsed;
  }
  return (JSON.parse(body.toString('utf8')) as { usage?: unknown }).usage;
}

function trailingUsage(tail: string): unknown {
  const open = /^\s*:\s*/.exec(tail);
  if (!open || tail.charCodeAt(open[0].length) !== 123) return undefined; // "{"
  const end = matchingBrace(tail, open[0].length);
  if (end === -1) return undefined;
  const rest = tail.slice(end + 1);
  if (rest.length > MAX_TAIL || !TOP_LEVEL_TAIL.test(rest)) return undefined;
  try {
    return JSON.parse(tail.slice(open[0].length, end + 1));
  } catch {
    return undefined;
  }
}

/** Index of the brace closing the object opened at `start`, skipping braces inside strings. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92)
        i++; // backslash escapes the next character
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123) depth++;
    else if (char === 125 && --depth === 0) return i;
  }
  return -1;
}
