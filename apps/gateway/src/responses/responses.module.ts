import { Module } from '@nestjs/common';
import { ResponsesEngineModule } from '@app/responses';
import { HttpCoreModule } from '../http/http-core.module';
import { NativeForwarder } from './native-forwarder';
import { NativeResponder } from './native-responder';
import { ResponsesAuxService } from './responses-aux.service';
import { ResponsesLifecycleController } from './responses-lifecycle.controller';
import { ResponsesLifecycleService } from './responses-lifecycle.service';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';
import { TranslatedResponder } from './translated-responder';

/** OpenAI Responses API: POST /v1/responses (+ input_tokens, compact) on the hot path, lifecycle routes on Nest. */
@Module({
  imports: [ResponsesEngineModule, HttpCoreModule],
  controllers: [ResponsesLifecycleController],
  providers: [ResponsesController, ResponsesService, ResponsesAuxService, ResponsesLifecycleService, TranslatedResponder, NativeResponder, NativeForwarder],
})
export class ResponsesModule {}
