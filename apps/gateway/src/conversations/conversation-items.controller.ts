import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import { ConversationsService } from './conversations.service';
import { dtoValidationPipe } from '../http/dto-validation.pipe';
import { ConversationDto, ConversationItemListDto } from './dto/conversation.dto';
import { CreateItemsDto } from './dto/create-items.dto';
import { ListItemsQueryDto } from './dto/list-items-query.dto';

const ITEM_SCHEMA = { type: 'object', additionalProperties: true, description: 'A Responses item with its `id` and `type`' } as const;

@ApiTags('OpenAI')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto, description: 'No such conversation (or item).' })
@UsePipes(dtoValidationPipe('drop'))
@Controller('v1/conversations/:conversation_id/items')
export class ConversationItemsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @ApiOperation({ summary: "List a conversation's items (cursor pagination with `after`)" })
  @ApiQuery({ name: 'include', required: false, type: [String], description: 'Accepted for compatibility: stored items are always returned whole.' })
  @ApiOkResponse({ type: ConversationItemListDto })
  list(@Param('conversation_id') conversationId: string, @Query() query: ListItemsQueryDto): Promise<ConversationItemListDto> {
    return this.conversations.listItems(conversationId, query);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Append items to a conversation (at most 20 per call)' })
  @ApiOkResponse({ type: ConversationItemListDto, description: 'The created items, in order' })
  create(@Param('conversation_id') conversationId: string, @Body() body: CreateItemsDto): Promise<ConversationItemListDto> {
    return this.conversations.createItems(conversationId, body.items);
  }

  @Get(':item_id')
  @ApiOperation({ summary: 'Retrieve one item of a conversation' })
  @ApiOkResponse({ schema: ITEM_SCHEMA })
  retrieve(@Param('conversation_id') conversationId: string, @Param('item_id') itemId: string): Promise<Record<string, unknown>> {
    return this.conversations.retrieveItem(conversationId, itemId);
  }

  @Delete(':item_id')
  @ApiOperation({ summary: 'Delete one item; answers with the conversation' })
  @ApiOkResponse({ type: ConversationDto })
  delete(@Param('conversation_id') conversationId: string, @Param('item_id') itemId: string): Promise<ConversationDto> {
    return this.conversations.deleteItem(conversationId, itemId);
  }
}
