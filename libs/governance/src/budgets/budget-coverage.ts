/** Normalises a user path for matching: no trailing slash (except the root). */
export function normalizeUserPath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path;
}

/**
 * The paths whose budgets (or limits) cover a request for `path`, most specific first: the path
 * itself and every ancestor, so a budget on `/acme` covers `/acme`, `/acme/team` and
 * `/acme/team/u1`, but not `/acmeco`.
 */
export function coveringPaths(path: string): string[] {
  const normalized = normalizeUserPath(path);
  const paths = [normalized];
  for (let at = normalized.lastIndexOf('/'); at > 0; at = normalized.lastIndexOf('/', at - 1)) paths.push(normalized.slice(0, at));
  if (normalized !== '/' && normalized.startsWith('/')) paths.push('/');
  return paths;
}
