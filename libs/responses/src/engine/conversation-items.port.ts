/** One stored conversation item: the Responses item JSON (with `type`) under its id. */
export interface ConversationItem {
  readonly id: string;
  readonly item: Record<string, unknown>;
}

/** What Responses needs of gateway-managed conversations (the Conversations contract). */
export interface ConversationItemsPort {
  exists(conversationId: string): Promise<boolean>;
  /** Every item, oldest first. */
  listItems(conversationId: string): Promise<ConversationItem[]>;
  appendItems(conversationId: string, items: Record<string, unknown>[]): Promise<ConversationItem[]>;
}

/** Injection token of the {@link ConversationItemsPort}. */
export const CONVERSATION_ITEMS = Symbol('CONVERSATION_ITEMS');
