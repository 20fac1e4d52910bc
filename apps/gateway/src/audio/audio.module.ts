import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { AudioController } from './audio.controller';
import { SpeechService } from './speech.service';
import { TranscriptionService } from './transcription.service';

/** OpenAI's audio API: POST /v1/audio/speech, /v1/audio/transcriptions, /v1/audio/translations. */
@Module({
  imports: [ProvidersModule],
  controllers: [AudioController],
  providers: [SpeechService, TranscriptionService],
})
export class AudioModule {}
