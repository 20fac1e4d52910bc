import { Injectable, Logger } from '@nestjs/common';
import type { StoredResponse } from '@app/storage';
import type { JsonObject, ResponseItem } from '../translate/response-types';
import { ResponseHistory } from './response-history';
import { ResponseStore } from './response-store';

/** What is known about a response when it is stored. */
export interface FinishedResponse {
  readonly response: JsonObject;
  readonly params: JsonObject;
  readonly input: readonly ResponseItem[];
  readonly provider: string;
  readonly model: string;
  readonly native: boolean;
  readonly store: boolean;
  readonly previousResponseId?: string;
  readonly conversationId?: string;
  readonly keyId: string | null;
  readonly userPath: string | null;
}

/**
 * Records finished foreground responses: the stored row (unless `store: false`) and the turn
 * appended to its conversation. Nothing here is awaited by the client.
 */
@Injectable()
export class ResponsePersistence {
  private readonly logger = new Logger(ResponsePersistence.name);

  constructor(
    private readonly store: ResponseStore,
    private readonly history: ResponseHistory,
  ) {}

  finished(finished: FinishedResponse): void {
    if (finished.store) this.store.saveInBackground(toStored(finished), finished.input);
    this.appendToConversation(finished.conversationId, finished.input, finished.response);
  }

  /** Appends a completed turn to its conversation, in the background. */
  appendToConversation(conversationId: string | undefined, input: readonly ResponseItem[], response: JsonObject): void {
    if (!conversationId || (response.status !== 'completed' && response.status !== 'incomplete')) return;
    this.history.appendTurn(conversationId, input, (response.output as ResponseItem[]) ?? []).catch((error: unknown) => {
      this.logger.error({ msg: 'appending a turn to its conversation failed', conversationId, responseId: response.id, err: error });
    });
  }
}

/** The stored row of a response. */
export function toStored(finished: FinishedResponse, background = false): StoredResponse {
  const now = new Date();
  const createdAt = typeof finished.response.created_at === 'number' ? new Date(finished.response.created_at * 1000) : now;
  return {
    id: String(finished.response.id),
    createdAt,
    updatedAt: now,
    status: String(finished.response.status),
    provider: finished.provider,
    model: finished.model,
    native: finished.native,
    background: background || finished.response.background === true,
    previousResponseId: finished.previousResponseId ?? null,
    conversationId: finished.conversationId ?? null,
    keyId: finished.keyId,
    userPath: finished.userPath,
    request: finished.params,
    body: finished.response,
  };
}
