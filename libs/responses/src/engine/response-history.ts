import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import type { StoredResponse } from '@app/storage';
import type { ResponseRequestFields } from '../translate/response-request';
import { responseIdOfItem } from '../translate/item-ids';
import { isObject, type ResponseItem } from '../translate/response-types';
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

  /**
   * `items` with each `{type: "item_reference", id}` replaced by the item it names: an output item
   * of a response the gateway stored (see item-ids.ts). Only those can be sent to a translated
   * provider, which has no store of its own; an id found nowhere is a 400 naming it.
   */
  async resolveReferences(items: readonly ResponseItem[], param: string): Promise<readonly ResponseItem[]> {
    if (!items.some((item) => item.type === 'item_reference')) return items;
    const responses = new Map<string, Promise<readonly ResponseItem[]>>();
    const outputOf = (responseId: string) => {
      let output = responses.get(responseId);
      if (!output) responses.set(responseId, (output = this.store.find(responseId).then((found) => (found?.body.output as ResponseItem[] | undefined) ?? [])));
      return output;
    };
    return Promise.all(items.map(async (item, index) => (item.type === 'item_reference' ? this.referenced(item, `${param}[${index}]`, outputOf) : item)));
  }

  private async referenced(reference: ResponseItem, where: string, outputOf: (responseId: string) => Promise<readonly ResponseItem[]>): Promise<ResponseItem> {
    const id = reference.id;
    if (typeof id !== 'string') throw GatewayError.invalidRequest(`'${where}.id' must be a string.`, `${where}.id`);
    const responseId = responseIdOfItem(id);
    const found = responseId ? (await outputOf(responseId)).find((item) => isObject(item) && item.id === id) : undefined;
    if (!found) throw GatewayError.invalidRequest(`Item with id '${id}' not found.`, `${where}.id`, 'item_not_found');
    return found;
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
