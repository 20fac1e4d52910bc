import { ModelAllowlist } from './model-allowlist';

const PROVIDERS = new Set(['openai', 'openai-east', 'anthropic', 'groq']);
const allowlist = (...selectors: string[]) => new ModelAllowlist(selectors, (name) => PROVIDERS.has(name));

describe('ModelAllowlist', () => {
  it('matches provider wildcards and model prefixes', () => {
    const list = allowlist('openai/*', 'anthropic/claude-sonnet-*');
    expect(list.allowsTarget('openai', 'gpt-4o')).toBe(true);
    expect(list.allowsTarget('anthropic', 'claude-sonnet-4-5')).toBe(true);
    expect(list.allowsTarget('anthropic', 'claude-haiku-4-5')).toBe(false);
    // `openai/*` names the provider `openai`, not every provider whose name starts so.
    expect(list.allowsTarget('openai-east', 'gpt-4o')).toBe(false);
  });

  it('applies a bare selector to that model on any provider, and to the alias of that name', () => {
    const list = allowlist('gpt-4o*', 'smart');
    expect(list.allowsTarget('openai', 'gpt-4o-mini')).toBe(true);
    expect(list.allowsTarget('openai-east', 'gpt-4o')).toBe(true);
    expect(list.allowsTarget('openai', 'o3')).toBe(false);
    expect(list.allowsAlias('smart')).toBe(true);
    expect(list.allowsAlias('cheap')).toBe(false);
  });

  it('never lets a provider selector admit an alias', () => {
    expect(allowlist('openai/*').allowsAlias('smart')).toBe(false);
  });

  it('keeps model ids with slashes whole when the prefix is no provider, and allows provider patterns', () => {
    const list = allowlist('meta-llama/*', '*/claude-*');
    expect(list.allowsTarget('groq', 'meta-llama/llama-4-scout')).toBe(true);
    expect(list.allowsTarget('groq', 'llama-3')).toBe(false);
    expect(list.allowsTarget('anthropic', 'claude-haiku-4-5')).toBe(true);
    expect(list.allowsAlias('claude-x')).toBe(false);
  });

  it('treats regular-expression characters literally and `*` alone as everything', () => {
    expect(allowlist('openai/gpt-4.1').allowsTarget('openai', 'gpt-4x1')).toBe(false);
    expect(allowlist('openai/gpt-4.1').allowsTarget('openai', 'gpt-4.1')).toBe(true);
    const all = allowlist('*');
    expect(all.allowsTarget('groq', 'anything/at-all')).toBe(true);
    expect(all.allowsAlias('smart')).toBe(true);
    expect(allowlist().allowsTarget('openai', 'gpt-4o')).toBe(false);
  });
});
