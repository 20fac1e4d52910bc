import { Injectable } from '@nestjs/common';
import type { TokenUsage } from '@app/core';
import { type PrimedUpstreamResponse, primeBody, RouterService } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import type { Execution } from '../pipeline/route-result';
import { audioStreamResult, doneEventUsage } from './audio-answer';
import { audioEndpointsOf } from './audio-endpoints-of';
import { readSpeechFields } from './speech-request';

/**
 * Serves POST /v1/audio/speech along the model's plan. Each attempt sends the body (model
 * rewritten) and resolves once the first audio chunk is in hand, so a target that fails before
 * it — 429/5xx, a reset, headers and then nothing — is retried or failed over unseen by the
 * client. No overall deadline: long texts stream for a long time (the pool bounds idle gaps).
 */
@Injectable()
export class SpeechService {
  constructor(private readonly router: RouterService) {}

  speak(exchange: Exchange): Execution<PrimedUpstreamResponse> {
    const body = exchange.body;
    const fields = readSpeechFields(body);
    return {
      kind: 'execute',
      plan: this.router.plan(fields.model),
      attempt: async (target, context) => {
        const audio = audioEndpointsOf(target, 'speech');
        const answer = await audio.send(
          { operation: 'speech', model: target.model, contentType: 'application/json', body: JSON.stringify({ ...body, model: target.model }) },
          context,
        );
        return primeBody(target.provider.name, answer);
      },
      respond: (primed) => {
        const contentType = String(primed.headers['content-type'] ?? fields.contentType);
        return audioStreamResult(exchange, primed, contentType, (done) => speechUsage(fields.input, done));
      },
    };
  }
}

/** Token usage from the SSE done event where the provider reports it, and always the input's characters. */
function speechUsage(input: string, done: Record<string, unknown> | undefined): TokenUsage {
  const usage = doneEventUsage(done, 'speech') ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 };
  // Per-character TTS prices count characters, not UTF-16 units.
  return { ...usage, inputCharacters: Array.from(input).length };
}
