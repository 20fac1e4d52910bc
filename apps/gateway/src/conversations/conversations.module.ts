import { Module } from '@nestjs/common';
import { ConversationItemsController } from './conversation-items.controller';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

/** /v1/conversations: gateway-managed Responses conversations (ConversationsRepository comes from the global StorageModule). */
@Module({
  controllers: [ConversationsController, ConversationItemsController],
  providers: [ConversationsService],
})
export class ConversationsModule {}
