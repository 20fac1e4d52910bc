/**
 * OpenAI reasoning models (the o-series and the gpt-5 family) reject `max_tokens` and the sampling
 * parameters of older chat models. Clients written for gpt-4o send them anyway, so for providers
 * that serve OpenAI's own models (types `openai` and `azure`) the gateway adapts the body instead
 * of letting the upstream answer 400.
 */

/** Sampling parameters reasoning models refuse (OpenAI reasoning guide, "limitations"). */
const SAMPLING_PARAMETERS = ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs', 'logit_bias'] as const;

/** Provider types whose model ids name OpenAI models (Azure deployments are named after them by convention). */
const OPENAI_MODEL_PROVIDERS = new Set(['openai', 'azure']);

/**
 * o1, o3-mini, o4-mini-2025-04-16, gpt-5, gpt-5.1, gpt-5-mini …, also behind a fine-tune prefix
 * (`ft:o4-mini:org::id`). gpt-5-chat is the non-reasoning chat model of the family.
 */
export function isReasoningModel(model: string): boolean {
  const id = model.startsWith('ft:') ? model.slice(3) : model;
  if (/^o\d+(?:$|[-.:])/.test(id)) return true;
  return /^gpt-5(?:$|[-.:])/.test(id) && !/^gpt-5(?:\.\d+)?-chat(?:$|-)/.test(id);
}

export function adaptsReasoningModels(providerType: string): boolean {
  return OPENAI_MODEL_PROVIDERS.has(providerType);
}

/**
 * Returns the body a reasoning model accepts: `max_tokens` renamed `max_completion_tokens` (an
 * explicit `max_completion_tokens` wins), sampling parameters removed, `reasoning_effort` and every
 * other field kept. With `reasoning_effort: "none"` (gpt-5.1 and later) the model samples like a
 * chat model and accepts them, so they stay. Ordinary models get the very same object back.
 */
export function adaptReasoningBody(body: Record<string, unknown>): Record<string, unknown> {
  const model = typeof body.model === 'string' ? body.model : '';
  if (!isReasoningModel(model)) return body;
  const keepSampling = body.reasoning_effort === 'none';
  const needsChange = 'max_tokens' in body || (!keepSampling && SAMPLING_PARAMETERS.some((name) => name in body));
  if (!needsChange) return body;
  const adapted: Record<string, unknown> = { ...body };
  if ('max_tokens' in adapted) {
    if (adapted.max_completion_tokens === undefined && adapted.max_tokens !== null) adapted.max_completion_tokens = adapted.max_tokens;
    delete adapted.max_tokens;
  }
  if (!keepSampling) for (const name of SAMPLING_PARAMETERS) delete adapted[name];
  return adapted;
}
