import { Injectable, Logger } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { ResponsesRepository, type StoredResponse } from '@app/storage';
import type { JsonObject, ResponseItem } from '../translate/response-types';

/** Longest `previous_response_id` chain followed; deeper history belongs in a conversation. */
const MAX_CHAIN = 200;

/**
 * Stored responses as the Responses engine uses them. Writes the client does not wait for are
 * tracked until they land, so a read of the same id in this process (the next turn's
 * `previous_response_id`, a GET right after the answer) sees them.
 */
@Injectable()
export class ResponseStore {
  private readonly logger = new Logger(ResponseStore.name);
  private readonly pending = new Map<string, Promise<void>>();

  constructor(readonly repository: ResponsesRepository) {}

  /** Stores a response without making the caller wait; failures are logged, never thrown. */
  saveInBackground(response: StoredResponse, input: readonly ResponseItem[]): void {
    this.track(response.id, this.repository.create(response, input));
  }

  /** Applies a patch in the background (tracked like saveInBackground). */
  updateInBackground(id: string, body: JsonObject): void {
    this.track(id, this.repository.update(id, { status: String(body.status), body }).then(() => undefined));
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
      items.push(...(await this.repository.inputItems(turn.id)));
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
