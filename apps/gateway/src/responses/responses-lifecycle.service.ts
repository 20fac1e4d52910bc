import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GatewayError } from '@app/core';
import { ProviderRegistry, type ProviderInstance, UpstreamFailure } from '@app/providers';
import { CancelFlags, hasNativeResponses, type JsonObject, ResponseStore, TERMINAL_STATUSES } from '@app/responses';
import type { StoredResponse } from '@app/storage';
import { NativeForwarder } from '../native/native-forwarder';

const LOOKUP_TIMEOUT_MS = 30_000;

const notFound = (id: string) => new GatewayError('not_found', `Response with id '${id}' not found.`, { code: 'response_not_found' });

/**
 * GET, DELETE and cancel of a response: the gateway's store first; native responses are also
 * refreshed, deleted or cancelled at their provider, and ids the store does not know are looked
 * up at the native providers.
 */
@Injectable()
export class ResponsesLifecycleService {
  constructor(
    private readonly store: ResponseStore,
    private readonly cancelFlags: CancelFlags,
    private readonly registry: ProviderRegistry,
    private readonly forwarder: NativeForwarder,
  ) {}

  async retrieve(id: string): Promise<JsonObject> {
    const row = await this.store.find(id);
    if (!row) return this.fromProviders(id, 'GET', '');
    if (!row.native || TERMINAL_STATUSES.has(row.status)) return row.body;
    return this.refresh(row, 'GET', '');
  }

  async delete(id: string): Promise<JsonObject> {
    const row = await this.store.find(id);
    if (!row) {
      await this.fromProviders(id, 'DELETE', '');
      return { id, object: 'response', deleted: true };
    }
    await this.store.delete(id);
    const provider = row.native ? this.registry.get(row.provider) : undefined;
    // The provider's copy goes too; one it already forgot (404) is not an error.
    if (provider) await this.forwarder.call(provider, 'DELETE', `/${encodeURIComponent(id)}`, randomUUID(), AbortSignal.timeout(LOOKUP_TIMEOUT_MS)).catch(() => undefined);
    return { id, object: 'response', deleted: true };
  }

  /** Cancels a background response; cancelling a cancelled one answers it again (idempotent). */
  async cancel(id: string): Promise<JsonObject> {
    const row = await this.store.find(id);
    if (!row) return this.fromProviders(id, 'POST', '/cancel');
    if (row.native) return this.refresh(row, 'POST', '/cancel');
    if (!row.background) throw GatewayError.invalidRequest('Only background responses can be cancelled.', undefined, 'not_background');
    if (row.status === 'cancelled') return row.body;
    if (TERMINAL_STATUSES.has(row.status)) throw GatewayError.invalidRequest(`Cannot cancel a response that is already ${row.status}.`, undefined, 'response_not_cancellable');
    await this.cancelFlags.request(id);
    const cancelled = { ...row.body, status: 'cancelled' };
    if (await this.store.transition(id, cancelled, ['queued', 'in_progress'])) return cancelled;
    // The run finished between our read and our update: answer with what it became.
    const current = await this.store.find(id);
    if (current?.status === 'cancelled') return current.body;
    throw GatewayError.invalidRequest(`Cannot cancel a response that is already ${current?.status ?? 'deleted'}.`, undefined, 'response_not_cancellable');
  }

  /** Asks the response's provider and stores what it says. */
  private async refresh(row: StoredResponse, method: 'GET' | 'POST', subpath: string): Promise<JsonObject> {
    const provider = this.registry.get(row.provider);
    if (!provider) return row.body;
    // A non-2xx answer arrives as the adapter's UpstreamFailure, its message already redacted.
    const answer = await this.forwarder.call(provider, method, `/${encodeURIComponent(row.id)}${subpath}`, randomUUID(), AbortSignal.timeout(LOOKUP_TIMEOUT_MS));
    if (!answer.json) throw unreadable(provider, answer.status);
    await this.store.replace(row.id, answer.json);
    return answer.json;
  }

  /** Tries each native provider in turn for an id the store does not hold. */
  private async fromProviders(id: string, method: 'GET' | 'POST' | 'DELETE', subpath: string): Promise<JsonObject> {
    for (const provider of this.registry.all().filter((candidate) => hasNativeResponses(candidate.config))) {
      const answer = await this.forwarder
        .call(provider, method, `/${encodeURIComponent(id)}${subpath}`, randomUUID(), AbortSignal.timeout(LOOKUP_TIMEOUT_MS))
        .catch((error: unknown) => {
          // Not found there, or that provider is down: try the next one. Any other refusal is the answer.
          if (error instanceof UpstreamFailure && error.upstreamStatus !== undefined && error.upstreamStatus !== 404 && error.upstreamStatus < 500) throw error;
          return undefined;
        });
      if (answer?.json) return answer.json;
    }
    throw notFound(id);
  }
}

function unreadable(provider: ProviderInstance, status: number): GatewayError {
  return new GatewayError('upstream_error', `Upstream provider '${provider.name}' answered with HTTP ${status} and a body the gateway could not read.`, { status: 502 });
}
