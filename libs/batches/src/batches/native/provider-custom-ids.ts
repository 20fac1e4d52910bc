/** Anthropic's rule for a request's custom_id; OpenAI allows any string up to 512 characters. */
const ANTHROPIC_CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The custom_ids a provider batch is given, by line: the client's own when every one of them fits
 * Anthropic's rule, else `line-<position>` for all (results are mapped back by this same rule, so
 * the choice needs no storage). OpenAI-dialect providers accept Switchyard's ids either way.
 */
export function providerCustomIds(customIds: readonly string[]): string[] {
  if (customIds.every((id) => ANTHROPIC_CUSTOM_ID.test(id))) return [...customIds];
  return customIds.map((_id, position) => `line-${position}`);
}
