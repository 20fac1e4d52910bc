import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { HttpCoreModule } from '../http/http-core.module';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  imports: [ProvidersModule, HttpCoreModule],
  providers: [ChatController, ChatService],
})
export class ChatModule {}
