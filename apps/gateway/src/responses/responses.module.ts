import { Module } from '@nestjs/common';
import { ResponsesEngineModule } from '@app/responses';
import { NativeModule } from '../native/native.module';
import { NativeResponder } from './native-responder';
import { ResponsesAuxService } from './responses-aux.service';
import { ResponsesLifecycleController } from './responses-lifecycle.controller';
import { ResponsesLifecycleService } from './responses-lifecycle.service';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';
import { TranslatedResponder } from './translated-responder';

/** OpenAI Responses API: POST /v1/responses (+ input_tokens, compact) as hot routes, lifecycle routes on Nest. */
@Module({
  imports: [ResponsesEngineModule, NativeModule],
  controllers: [ResponsesController, ResponsesLifecycleController],
  providers: [ResponsesService, ResponsesAuxService, ResponsesLifecycleService, TranslatedResponder, NativeResponder],
})
export class ResponsesModule {}
