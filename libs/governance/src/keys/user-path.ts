/** Longest user path stored with usage (the column's length). */
export const MAX_USER_PATH_LENGTH = 255;
const SEGMENT = /^[A-Za-z0-9_@+=,.:~-]+$/;

/** A user path as given, or why it is not one. */
export type UserPathResult = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * Parses a user path such as `/acme/search/bot`: `/`-separated segments of letters, digits and
 * `_ @ + = , . : ~ -`, no empty, `.` or `..` segment, at most 255 characters, no trailing slash.
 * A missing leading `/` is added (`team/alice` is `/team/alice`), as clients wrote it before paths
 * were checked.
 */
export function parseUserPath(raw: string): UserPathResult {
  const path = raw.startsWith('/') ? raw : `/${raw}`;
  if (path.length > MAX_USER_PATH_LENGTH) return { ok: false, reason: `is longer than ${MAX_USER_PATH_LENGTH} characters` };
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return { ok: false, reason: 'has an empty segment (a doubled or trailing "/")' };
    if (segment === '.' || segment === '..') return { ok: false, reason: 'may not contain "." or ".." segments' };
    if (!SEGMENT.test(segment)) return { ok: false, reason: 'may contain only letters, digits and _ @ + = , . : ~ - between slashes' };
  }
  return { ok: true, path };
}

/**
 * Whether `path` lies within `base` (itself or below it, segment-wise): `/acme/search/bot` is
 * within `/acme/search`, `/acme/searchbot` is not. A null base (the master key) contains every path.
 */
export function isWithinUserPath(base: string | null, path: string): boolean {
  if (base === null) return true;
  return path === base || path.startsWith(base.endsWith('/') ? base : `${base}/`);
}
