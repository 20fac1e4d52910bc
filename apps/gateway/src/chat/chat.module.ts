import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  imports: [ProvidersModule],
  controllers: [ChatController],
  providers: [ChatService],
})
export class ChatModule {}
