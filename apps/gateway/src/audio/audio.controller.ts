import { Controller } from '@nestjs/common';
import type { Exchange } from '../pipeline/exchange';
import { HotRoute } from '../pipeline/hot-route.decorator';
import type { RouteOutcome } from '../pipeline/route-result';
import { SPEECH_DOC, TRANSCRIPTIONS_DOC, TRANSLATIONS_DOC } from './audio.openapi';
import { SpeechService } from './speech.service';
import { TranscriptionService } from './transcription.service';

/**
 * OpenAI's audio API as hot routes (see pipeline.ts). Speech takes JSON, read by the pipeline;
 * the multipart routes are `body: 'stream'`, so the JSON reader never touches them and the form
 * is parsed as it arrives (audio-form-reader.ts).
 */
@Controller()
export class AudioController {
  constructor(
    private readonly speech: SpeechService,
    private readonly transcription: TranscriptionService,
  ) {}

  @HotRoute({ method: 'POST', path: '/v1/audio/speech', dialect: 'openai', usage: true, doc: SPEECH_DOC })
  speak(exchange: Exchange): RouteOutcome {
    return this.speech.speak(exchange);
  }

  @HotRoute({ method: 'POST', path: '/v1/audio/transcriptions', dialect: 'openai', usage: true, body: 'stream', doc: TRANSCRIPTIONS_DOC })
  transcribe(exchange: Exchange): Promise<RouteOutcome> {
    return this.transcription.transcribe(exchange, 'transcriptions');
  }

  @HotRoute({ method: 'POST', path: '/v1/audio/translations', dialect: 'openai', usage: true, body: 'stream', doc: TRANSLATIONS_DOC })
  translate(exchange: Exchange): Promise<RouteOutcome> {
    return this.transcription.transcribe(exchange, 'translations');
  }
}
