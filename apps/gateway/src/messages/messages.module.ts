import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { NativeModule } from '../native/native.module';
import { CountTokensService } from './count-tokens.service';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { TranslatedMessages } from './translate/translated-messages';

@Module({
  imports: [ProvidersModule, NativeModule],
  controllers: [MessagesController],
  providers: [MessagesService, CountTokensService, TranslatedMessages],
})
export class MessagesModule {}
