import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { AuditRepository, ConversationsRepository, type LogPageQuery, ResponsesRepository, type StoredResponse } from '@app/storage';
import { pageOrBadCursor } from '../usage/usage-analytics.service';
import type { AuditEntryDto, AuditLogDto, AuditThreadDto, ThreadConversationDto, ThreadResponseDto } from './audit.dto';
import { entryDto, summaryDto } from './audit-dto-mapping';

/** How far back a thread follows `previous_response_id`, and how many related entries it lists. */
const MAX_CHAIN = 50;
const MAX_RELATED = 200;

@Injectable()
export class AuditAdminService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly responses: ResponsesRepository,
    private readonly conversations: ConversationsRepository,
  ) {}

  async log(query: LogPageQuery): Promise<AuditLogDto> {
    const page = await pageOrBadCursor(() => this.audit.page(query));
    return { object: 'list', data: page.data.map(summaryDto), has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
  }

  async entry(id: string): Promise<AuditEntryDto> {
    const entry = await this.audit.find(id);
    if (!entry) throw new GatewayError('not_found', `No audit entry with id '${id}'.`, { param: 'id' });
    return entryDto(entry);
  }

  /**
   * The conversation around an entry: the stored responses its `previous_response_id` chain runs
   * through (oldest first), its conversation, and the other requests that continued the same
   * chain or conversation.
   */
  async thread(id: string): Promise<AuditThreadDto> {
    const entry = await this.audit.find(id);
    if (!entry) throw new GatewayError('not_found', `No audit entry with id '${id}'.`, { param: 'id' });
    const chain = await this.chain(entry.previousResponseId);
    const conversationId = entry.conversationId ?? chain.find((response) => response.conversationId)?.conversationId ?? null;
    const conversation = conversationId ? await this.conversations.find(conversationId) : null;
    const related = await this.audit.linked(
      chain.map((response) => response.id),
      conversationId,
      MAX_RELATED,
    );
    return {
      object: 'audit.thread',
      entry: summaryDto(entry),
      responses: chain.map(responseDto),
      conversation: conversation
        ? ({ id: conversation.id, created_at: conversation.createdAt.toISOString(), metadata: conversation.metadata } satisfies ThreadConversationDto)
        : null,
      entries: related.map(summaryDto),
    };
  }

  /** Follows `previous_response_id` back from `from`, through the gateway's store; oldest first. */
  private async chain(from: string | null): Promise<StoredResponse[]> {
    const chain: StoredResponse[] = [];
    const seen = new Set<string>();
    for (let id = from; id && !seen.has(id) && chain.length < MAX_CHAIN;) {
      seen.add(id);
      const response = await this.responses.find(id);
      if (!response) break;
      chain.push(response);
      id = response.previousResponseId;
    }
    return chain.reverse();
  }
}

function responseDto(response: StoredResponse): ThreadResponseDto {
  return {
    id: response.id,
    created_at: response.createdAt.toISOString(),
    status: response.status,
    provider: response.provider,
    model: response.model,
    previous_response_id: response.previousResponseId,
    conversation_id: response.conversationId,
  };
}
