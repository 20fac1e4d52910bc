import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { HttpCoreModule } from '../http/http-core.module';
import { CountTokensService } from './count-tokens.service';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { NativeForwarder } from './native/native-forwarder';
import { TranslatedMessages } from './translate/translated-messages';

@Module({
  imports: [ProvidersModule, HttpCoreModule],
  providers: [MessagesController, MessagesService, CountTokensService, NativeForwarder, TranslatedMessages],
})
export class MessagesModule {}
