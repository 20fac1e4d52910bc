import { parseModelSelector } from '@app/core';

interface Rule {
  /** Null: the rule names no provider, so it applies to the model part of every provider and to aliases. */
  readonly provider: RegExp | null;
  readonly model: RegExp;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * The models a key may call, compiled once from its selectors. A selector is `provider/model`
 * (the prefix a configured provider name, or a pattern with `*` such as `*`/`openai-*`), or a bare
 * model or alias name; `*` matches any run of characters (`openai/*`, `anthropic/claude-*`,
 * `gpt-4o*`, `*`). A bare selector matches that model on any provider and the alias of that name.
 * One matcher serves both the refusal of a request and the filtering of the model list, so a key
 * never sees a model it may not call, nor is refused one it was shown.
 */
export class ModelAllowlist {
  private readonly rules: readonly Rule[];

  constructor(selectors: readonly string[], isProviderName: (name: string) => boolean) {
    this.rules = selectors.map((selector) => {
      const parsed = parseModelSelector(selector, (prefix) => isProviderName(prefix) || prefix.includes('*'));
      return { provider: parsed.provider === undefined ? null : globToRegExp(parsed.provider), model: globToRegExp(parsed.model) };
    });
  }

  /** Whether a model of a provider (`openai`, `gpt-4o`) may be called. */
  allowsTarget(provider: string, model: string): boolean {
    return this.rules.some((rule) => (rule.provider === null || rule.provider.test(provider)) && rule.model.test(model));
  }

  /** Whether an alias of the routing config may be called: only by a bare selector naming it. */
  allowsAlias(alias: string): boolean {
    return this.rules.some((rule) => rule.provider === null && rule.model.test(alias));
  }
}
