import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { FilesModule } from '../files/files.module';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  imports: [ProvidersModule, FilesModule],
  controllers: [ChatController],
  providers: [ChatService],
})
export class ChatModule {}
