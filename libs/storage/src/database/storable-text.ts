// A NUL or any surrogate (paired or not) sends a value down the slow path; most values are ASCII.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this must find
const NEEDS_CLEANING = /[\u0000\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- NUL is exactly what this must remove
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A client-supplied string as every supported database stores it: NUL removed (PostgreSQL rejects
 * it in text, failing the whole statement), lone surrogates replaced with U+FFFD (they have no
 * UTF-8 form), and cut to `maxLength` characters (PostgreSQL rejects an over-long varchar) without
 * splitting a surrogate pair. Every string a repository writes from a client goes through here,
 * and lookups by such a string too, so a key finds what was stored under it.
 */
export function storableText(value: string, maxLength: number): string {
  // Not a string despite the type (a bug upstream): left for the database to accept or refuse.
  if (typeof value !== 'string') return value;
  if (value.length <= maxLength && !NEEDS_CLEANING.test(value)) return value;
  return truncate(value.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD'), maxLength);
}

/** storableText for a nullable column: null and undefined stay null. */
export function storableNullableText(value: string | null | undefined, maxLength: number): string | null {
  return value === null || value === undefined ? null : storableText(value, maxLength);
}

/** Cuts a well-formed string to `maxLength` code points (PostgreSQL counts characters, not UTF-16 units). */
function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let units = 0;
  for (let points = 0; points < maxLength && units < text.length; points++) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return text.slice(0, units);
}
