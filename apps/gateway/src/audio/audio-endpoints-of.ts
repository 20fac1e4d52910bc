import { GatewayError } from '@app/core';
import type { AudioEndpoints, ResolvedTarget } from '@app/providers';

/** What each audio route does, for the message a provider without it answers with. */
const CAPABILITY = { speech: 'speech (/v1/audio/speech)', transcriptions: 'transcription (/v1/audio/transcriptions)', translations: 'translation (/v1/audio/translations)' };

/**
 * The target's audio API, or a 400 naming the model: the provider does not serve OpenAI's audio
 * API (Anthropic, Gemini, Bedrock, or an OpenAI-compatible server without `<PREFIX>_AUDIO=true`).
 * As an `invalid_request` raised by the gateway, the FailoverRunner moves on to a plan's next
 * target that may serve it; when none does, the client gets this 400.
 */
export function audioEndpointsOf(target: ResolvedTarget, operation: keyof typeof CAPABILITY): AudioEndpoints {
  const audio = target.provider.adapter.audio;
  if (audio) return audio;
  throw GatewayError.invalidRequest(
    `The model '${target.model}' is served by provider '${target.provider.name}' (${target.provider.config.type}), which does not support ${CAPABILITY[operation]}.`,
    'model',
    'unsupported_model',
  );
}
