import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { FileObject } from '@app/batches';
import { GatewayError } from '@app/core';
import { discardBody, openAIStatusFailure, type ProviderInstance, ProviderRegistry, readBoundedBody, readErrorText, type UpstreamHttpResponse } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import { upstreamSignal } from '../pipeline/upstream-signal';

/** Dialects whose providers serve OpenAI's Files API (`/files`, multipart upload). */
const FILES_DIALECTS: ReadonlySet<string> = new Set(['openai', 'azure']);
/** A FileObject or a deletion answer: far below this. */
const MAX_JSON_BYTES = 1024 * 1024;

/**
 * The Files API of a provider, for files uploaded with `?provider=`: uploads stream through
 * unread, metadata and deletions are forwarded, content is relayed as it arrives. One attempt
 * each: an upload's body cannot be replayed.
 */
@Injectable()
export class ProviderFiles {
  constructor(private readonly registry: ProviderRegistry) {}

  /** The instance for `?provider=` (instance or type name); 400 when it has no Files API. */
  resolve(name: string): ProviderInstance {
    const instance = this.registry.get(name) ?? this.registry.all().find((candidate) => candidate.config.type === name);
    if (!instance) throw GatewayError.invalidRequest(`Unknown provider '${name.slice(0, 64)}'.`, 'provider', 'provider_not_found');
    if (!FILES_DIALECTS.has(instance.config.dialect)) {
      throw GatewayError.invalidRequest(
        `Provider '${instance.name}' has no OpenAI-compatible Files API; upload without 'provider' to store the file in Switchyard.`,
        'provider',
        'unsupported_provider',
      );
    }
    return instance;
  }

  /** Streams the client's multipart body to the provider as it arrives; the provider's FileObject. */
  async upload(exchange: Exchange, instance: ProviderInstance, body: Readable | AsyncIterable<Buffer>, contentType: string): Promise<FileObject> {
    const headers: Record<string, string> = { 'content-type': contentType };
    const response = await this.send(exchange, instance, 'POST', '/files', headers, body);
    return this.json<FileObject>(instance, response);
  }

  async retrieve(exchange: Exchange, instance: ProviderInstance, id: string): Promise<FileObject> {
    return this.json<FileObject>(instance, await this.send(exchange, instance, 'GET', `/files/${encodeURIComponent(id)}`, {}));
  }

  /** True when the provider deleted it or no longer has it. */
  async delete(exchange: Exchange, instance: ProviderInstance, id: string): Promise<boolean> {
    const response = await this.send(exchange, instance, 'DELETE', `/files/${encodeURIComponent(id)}`, {});
    if (response.status === 404) {
      discardBody(response.body);
      return true;
    }
    await this.json(instance, response);
    return true;
  }

  /** The provider's answer with the content, for relaying (status 2xx checked). */
  async content(exchange: Exchange, instance: ProviderInstance, id: string): Promise<UpstreamHttpResponse> {
    const response = await this.send(exchange, instance, 'GET', `/files/${encodeURIComponent(id)}/content`, {});
    if (response.status >= 300) throw openAIStatusFailure(instance.name, response.status, response.headers, await readErrorText(response));
    return response;
  }

  private async send(
    exchange: Exchange,
    instance: ProviderInstance,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    headers: Record<string, string>,
    body?: Readable | AsyncIterable<Buffer>,
  ) {
    exchange.provider = instance.name;
    const context = { requestId: exchange.requestId, signal: upstreamSignal(exchange) };
    try {
      const response = await instance.adapter.forward({ method, path, headers, body: body === undefined ? undefined : asReadable(body) }, context);
      exchange.upstreamStatus = response.status;
      return response;
    } catch (error) {
      exchange.upstreamStatus = 'error';
      throw error;
    }
  }

  private async json<T>(instance: ProviderInstance, response: UpstreamHttpResponse): Promise<T> {
    if (response.status >= 300) throw openAIStatusFailure(instance.name, response.status, response.headers, await readErrorText(response));
    // A body past the bound is not the small JSON object the Files API answers with: reported as not JSON.
    const body = await readBoundedBody(response, MAX_JSON_BYTES);
    try {
      return JSON.parse(body?.toString('utf8') ?? '') as T;
    } catch {
      throw new GatewayError('upstream_error', `Upstream provider '${instance.name}' answered its Files API with a body that is not JSON.`);
    }
  }
}

/**
 * The client's body as undici takes it. A PassThrough stands between a request and undici so
 * that undici destroying a body it gives up on never destroys the client's socket (which must
 * stay usable for the error answer); a client aborting its upload errors the upstream body.
 */
function asReadable(body: Readable | AsyncIterable<Buffer>): Readable {
  if (!isRequest(body)) return Readable.from(body);
  const relay = new PassThrough();
  body.pipe(relay);
  body.once('close', () => {
    if (!body.complete) relay.destroy(new Error('the client aborted its upload'));
  });
  relay.once('close', () => {
    if (!body.complete) body.resume();
  });
  return relay;
}

function isRequest(body: unknown): body is IncomingMessage {
  return typeof (body as IncomingMessage).headers === 'object' && typeof (body as IncomingMessage).pipe === 'function';
}
