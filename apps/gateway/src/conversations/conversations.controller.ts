import { Body, Controller, Delete, Get, HttpCode, Param, Post, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import { ConversationsService } from './conversations.service';
import { dtoValidationPipe } from '../http/dto-validation.pipe';
import { ConversationDeletedDto, ConversationDto } from './dto/conversation.dto';
import { CreateConversationDto } from './dto/create-conversation.dto';
import { UpdateConversationDto } from './dto/update-conversation.dto';

@ApiTags('OpenAI')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@UsePipes(dtoValidationPipe('drop'))
@Controller('v1/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a gateway-managed conversation, optionally with initial items and metadata' })
  @ApiOkResponse({ type: ConversationDto })
  create(@Body() body: CreateConversationDto): Promise<ConversationDto> {
    return this.conversations.create(body.items, body.metadata);
  }

  @Get(':conversation_id')
  @ApiOperation({ summary: 'Retrieve a conversation' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  retrieve(@Param('conversation_id') conversationId: string): Promise<ConversationDto> {
    return this.conversations.retrieve(conversationId);
  }

  @Post(':conversation_id')
  @HttpCode(200)
  @ApiOperation({ summary: "Replace a conversation's metadata in full" })
  @ApiOkResponse({ type: ConversationDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  update(@Param('conversation_id') conversationId: string, @Body() body: UpdateConversationDto): Promise<ConversationDto> {
    return this.conversations.update(conversationId, body.metadata);
  }

  @Delete(':conversation_id')
  @ApiOperation({ summary: 'Delete a conversation and its items' })
  @ApiOkResponse({ type: ConversationDeletedDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  delete(@Param('conversation_id') conversationId: string): Promise<ConversationDeletedDto> {
    return this.conversations.delete(conversationId);
  }
}
