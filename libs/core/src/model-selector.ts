/** A parsed model selector: `model` alone, or `provider/model`. */
export interface ModelSelector {
  readonly provider?: string;
  readonly model: string;
}

/**
 * Splits `provider/model` on the first `/` only when the prefix names a configured provider, so
 * ids such as `meta-llama/Llama-3-8b` (which contain a slash of their own) stay whole.
 */
export function parseModelSelector(selector: string, isProviderName: (name: string) => boolean): ModelSelector {
  const slash = selector.indexOf('/');
  if (slash > 0 && slash < selector.length - 1) {
    const prefix = selector.slice(0, slash);
    if (isProviderName(prefix)) return { provider: prefix, model: selector.slice(slash + 1) };
  }
  return { model: selector };
}
