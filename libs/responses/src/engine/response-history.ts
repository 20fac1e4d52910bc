import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import type { StoredResponse } from '@app/storage';
import type { ResponseRequestFields } from '../translate/response-request';
import type { ResponseItem } from '../translate/response-types';
import { CONVERSATION_ITEMS, type ConversationItemsPort } from './conversation-items.port';
import { ResponseStore } from './response-store';

/** The turns before a request: from its `previous_response_id` chain or its `conversation`. */
export interface PriorTurns {
  readonly items: ResponseItem[];
  /** The response `previous_response_id` names, when there is one. */
  readonly previous?: StoredResponse;
}

@Injectable()
export class ResponseHistory {
  constructor(
    private readonly store: ResponseStore,
    @Inject(CONVERSATION_ITEMS) private readonly conversations: ConversationItemsPort,
  ) {}

  async prior(fields: Pick<ResponseRequestFields, 'previousResponseId' | 'conversationId'>): Promise<PriorTurns> {
    if (fields.previousResponseId) {
      const previous = await this.store.previous(fields.previousResponseId);
      return { items: await this.store.chainItems(previous), previous };
    }
    if (fields.conversationId) {
      await this.assertConversation(fields.conversationId);
      const stored = await this.conversations.listItems(fields.conversationId);
      return { items: stored.map((entry) => ({ ...entry.item, id: entry.item.id ?? entry.id })) };
    }
    return { items: [] };
  }

  /** 404 naming `conversation` when it does not exist; checked before anything is sent upstream. */
  async assertConversation(conversationId: string): Promise<void> {
    if (!(await this.conversations.exists(conversationId))) {
      throw new GatewayError('not_found', `Conversation with id '${conversationId}' not found.`, { param: 'conversation', code: 'conversation_not_found' });
    }
  }

  /** Appends a finished turn (its input, then its output items) to the conversation. */
  appendTurn(conversationId: string, input: readonly ResponseItem[], output: readonly ResponseItem[]): Promise<unknown> {
    return this.conversations.appendItems(conversationId, [...input, ...output]);
  }
}
