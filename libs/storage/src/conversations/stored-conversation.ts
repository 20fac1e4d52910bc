/** A conversation as the API shows it (before rendering `created_at` as Unix seconds). */
export interface StoredConversation {
  readonly id: string;
  readonly createdAt: Date;
  readonly metadata: Record<string, string>;
}

/** One conversation item: its id, and the whole Responses item (its `id` and `type` included). */
export interface StoredConversationItem {
  id: string;
  item: Record<string, unknown>;
}

/** One page of a conversation's items, in the requested order. */
export interface ConversationItemPage {
  readonly items: StoredConversationItem[];
  readonly hasMore: boolean;
}

/** How to page through items: after an item id (exclusive), at most `limit`, by position. */
export interface ConversationItemPageQuery {
  readonly after?: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
}
