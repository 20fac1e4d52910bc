import { Injectable, Logger } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { type InputItemsPage, type InputItemsQuery, ResponsesRepository, type StoredResponse } from '@app/storage';
import type { JsonObject, ResponseItem } from '../translate/response-types';

/** Longest `previous_response_id` chain followed; deeper history belongs in a conversation. */
const MAX_CHAIN = 200;

/**
 * Stored responses as the Responses engine uses them: the only door to ResponsesRepository for the
 * engine, the worker and the gateway. Writes the client does not wait for are tracked until they
 * land, so a read of the same id in this process (the next turn's `previous_response_id`, a GET
 * right after the answer) sees them. A stored response's status is always its body's `status`.
 */
@Injectable()
export class ResponseStore {
  private readonly logger = new Logger(ResponseStore.name);
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly repository: ResponsesRepository) {}

  /** Stores a response without making the caller wait; failures are logged, never thrown. */
  saveInBackground(response: StoredResponse, input: readonly ResponseItem[]): void {
    this.track(response.id, this.repository.create(response, input));
  }

  /** Stores a response before the caller goes on (a background job must find its row); rejects on failure. */
  save(response: StoredResponse, input: readonly ResponseItem[]): Promise<void> {
    return this.repository.create(response, input);
  }

  /** Applies a patch in the background (tracked like saveInBackground). */
  updateInBackground(id: string, body: JsonObject): void {
    this.track(id, this.replace(id, body));
  }

  /** Stores `body` as the response, whatever its status was (e.g. the provider's current copy). */
  async replace(id: string, body: JsonObject): Promise<void> {
    await this.repository.update(id, { status: String(body.status), body });
  }

  /**
   * Stores `body` only while the response is in one of `from`; false when it was not (or is gone):
   * someone else moved it first, e.g. a cancel racing the worker, or a worker racing the sweep.
   */
  transition(id: string, body: JsonObject, from: readonly string[]): Promise<boolean> {
    return this.repository.update(id, { status: String(body.status), body }, from);
  }

  /** Marks a running response as still alive (its updated_at), for the stale sweep. */
  async heartbeat(id: string): Promise<void> {
    await this.repository.update(id, {}, ['in_progress']);
  }

  /** Deletes a response and its input items; false when there was none. */
  delete(id: string): Promise<boolean> {
    return this.repository.delete(id);
  }

  /** The response's own input items, in request order. */
  inputItems(id: string): Promise<Record<string, unknown>[]> {
    return this.repository.inputItems(id);
  }

  /** One page of a response's input items; undefined when `after` names none of them. */
  pageInputItems(id: string, query: InputItemsQuery): Promise<InputItemsPage | undefined> {
    return this.repository.pageInputItems(id, query);
  }

  /** Ids of up to `limit` responses still in `status` and not updated since `before`. */
  findStale(status: string, before: Date, limit: number): Promise<string[]> {
    return this.repository.findStale(status, before, limit);
  }

  async find(id: string): Promise<StoredResponse | null> {
    await this.pending.get(id);
    return this.repository.find(id);
  }

  /** The stored response a `previous_response_id` names, or a 404 naming the parameter. */
  async previous(id: string): Promise<StoredResponse> {
    const found = await this.find(id);
    if (!found) throw new GatewayError('not_found', `Previous response with id '${id}' not found.`, { param: 'previous_response_id', code: 'previous_response_not_found' });
    return found;
  }

  /** Input and output items of a chain, oldest turn first, ending with `last`. */
  async chainItems(last: StoredResponse): Promise<ResponseItem[]> {
    const turns: StoredResponse[] = [last];
    while (turns.length < MAX_CHAIN && turns[0].previousResponseId) {
      const earlier = await this.find(turns[0].previousResponseId);
      if (!earlier) break;
      turns.unshift(earlier);
    }
    const items: ResponseItem[] = [];
    for (const turn of turns) {
      items.push(...(await this.inputItems(turn.id)));
      items.push(...((turn.body.output as ResponseItem[] | undefined) ?? []));
    }
    return items;
  }

  private track(id: string, write: Promise<unknown>): void {
    const settled = write.then(
      () => undefined,
      (error: unknown) => this.logger.error({ msg: 'storing a response failed', responseId: id, err: error }),
    );
    const chained = (this.pending.get(id) ?? Promise.resolve()).then(() => settled);
    this.pending.set(id, chained);
    void chained.finally(() => {
      if (this.pending.get(id) === chained) this.pending.delete(id);
    });
  }
}
