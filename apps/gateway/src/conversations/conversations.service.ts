import { Injectable } from '@nestjs/common';
import { GatewayError, requireWellFormedId } from '@app/core';
import { ConversationsRepository, type StoredConversation, type StoredConversationItem } from '@app/storage';
import type { ConversationDeletedDto, ConversationDto, ConversationItemListDto } from './dto/conversation.dto';
import type { ListItemsQueryDto } from './dto/list-items-query.dto';

const DEFAULT_PAGE_SIZE = 20;

function toDto(conversation: StoredConversation): ConversationDto {
  return {
    id: conversation.id,
    object: 'conversation',
    created_at: Math.floor(conversation.createdAt.getTime() / 1000),
    metadata: conversation.metadata,
  };
}

function toList(items: StoredConversationItem[], hasMore: boolean): ConversationItemListDto {
  return {
    object: 'list',
    data: items.map((stored) => stored.item),
    first_id: items[0]?.id ?? null,
    last_id: items.at(-1)?.id ?? null,
    has_more: hasMore,
  };
}

function conversationNotFound(id: string): GatewayError {
  return new GatewayError('not_found', `No conversation found with id '${id}'.`, { param: 'conversation_id' });
}

function itemNotFound(conversationId: string, itemId: string): GatewayError {
  return new GatewayError('not_found', `No item with id '${itemId}' found in conversation '${conversationId}'.`, { param: 'item_id' });
}

/** Conversation ids are minted here (`conv_` + hex), so one of another shape names nothing. */
const CONVERSATION_ID_PREFIX = 'conv_';

/**
 * Every id is checked for shape before it reaches a query: NUL is unstorable on PostgreSQL (a
 * 500 there), and a 400 naming the param tells the client what it got wrong.
 */
function checkConversationId(conversationId: string): void {
  requireWellFormedId(conversationId, 'conversation_id', CONVERSATION_ID_PREFIX);
}

/** Client-chosen item ids are kept, so they must have the shape of ids too. */
function checkItemIds(items: readonly Record<string, unknown>[] | null | undefined): void {
  items?.forEach((item, index) => {
    if (typeof item?.id === 'string') requireWellFormedId(item.id, `items[${index}].id`);
  });
}

/** Gateway-managed conversations, in the OpenAI Conversations API's shapes. */
@Injectable()
export class ConversationsService {
  constructor(private readonly repository: ConversationsRepository) {}

  async create(items: Record<string, unknown>[] | null | undefined, metadata: Record<string, string> | null | undefined): Promise<ConversationDto> {
    checkItemIds(items);
    const { conversation } = await this.repository.create(metadata ?? {}, items ?? []);
    return toDto(conversation);
  }

  async retrieve(conversationId: string): Promise<ConversationDto> {
    return toDto(await this.require(conversationId));
  }

  async update(conversationId: string, metadata: Record<string, string> | null): Promise<ConversationDto> {
    checkConversationId(conversationId);
    const updated = await this.repository.updateMetadata(conversationId, metadata ?? {});
    if (!updated) throw conversationNotFound(conversationId);
    return toDto(updated);
  }

  async delete(conversationId: string): Promise<ConversationDeletedDto> {
    checkConversationId(conversationId);
    if (!(await this.repository.delete(conversationId))) throw conversationNotFound(conversationId);
    return { id: conversationId, object: 'conversation.deleted', deleted: true };
  }

  async listItems(conversationId: string, query: ListItemsQueryDto): Promise<ConversationItemListDto> {
    if (query.after !== undefined) requireWellFormedId(query.after, 'after');
    await this.require(conversationId);
    const page = await this.repository.pageItems(conversationId, {
      after: query.after,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      order: query.order ?? 'desc',
    });
    return toList(page.items, page.hasMore);
  }

  async createItems(conversationId: string, items: Record<string, unknown>[]): Promise<ConversationItemListDto> {
    checkConversationId(conversationId);
    checkItemIds(items);
    const created = await this.repository.appendItems(conversationId, items);
    return toList(created, false);
  }

  async retrieveItem(conversationId: string, itemId: string): Promise<Record<string, unknown>> {
    requireWellFormedId(itemId, 'item_id');
    await this.require(conversationId);
    const stored = await this.repository.findItem(conversationId, itemId);
    if (!stored) throw itemNotFound(conversationId, itemId);
    return stored.item;
  }

  /** Deletes one item and answers with the conversation, as OpenAI does. */
  async deleteItem(conversationId: string, itemId: string): Promise<ConversationDto> {
    requireWellFormedId(itemId, 'item_id');
    const conversation = await this.require(conversationId);
    if (!(await this.repository.deleteItem(conversationId, itemId))) throw itemNotFound(conversationId, itemId);
    return toDto(conversation);
  }

  private async require(conversationId: string): Promise<StoredConversation> {
    checkConversationId(conversationId);
    const conversation = await this.repository.find(conversationId);
    if (!conversation) throw conversationNotFound(conversationId);
    return conversation;
  }
}
