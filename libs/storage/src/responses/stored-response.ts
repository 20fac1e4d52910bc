/** A stored Responses API response, JSON columns parsed. */
export interface StoredResponse {
  readonly id: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly status: string;
  readonly provider: string;
  readonly model: string;
  readonly native: boolean;
  readonly background: boolean;
  readonly previousResponseId: string | null;
  readonly conversationId: string | null;
  readonly keyId: string | null;
  /** The caller's user path (budgets and usage by path, e.g. a background run's charge). */
  readonly userPath: string | null;
  /** The creation parameters without `input`. */
  readonly request: Record<string, unknown>;
  /** The response object as clients see it. */
  readonly body: Record<string, unknown>;
}

/** What may change on a stored response after it was created. */
export interface StoredResponsePatch {
  readonly status?: string;
  readonly body?: Record<string, unknown>;
}

/** One page of a response's input items. */
export interface InputItemsPage {
  readonly items: Record<string, unknown>[];
  readonly hasMore: boolean;
}

export interface InputItemsQuery {
  readonly after?: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
}
