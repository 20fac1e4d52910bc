/** A URL without user info, query or fragment: what an operator may see of a configured endpoint. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
