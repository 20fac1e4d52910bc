import { Inject, Injectable } from '@nestjs/common';
import { BATCH_FILE_LIMITS, type FileLocation, type FileObject, type FileOwner, FileStore, JsonlChecker } from '@app/batches';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import type { Exchange } from '../pipeline/exchange';
import { jsonResult, type RouteResult } from '../pipeline/route-result';
import type { FilesListQuery } from './files-query';
import { receiveMultipart, type UploadedPart, type UploadForm } from './multipart-upload';
import { ProviderFiles } from './provider-files';
import { readUploadFields } from './upload-fields';
import { encodeMultipart } from './multipart-encoder';

/**
 * The Files API: files Switchyard stores (FileStore, the default) and files a provider holds
 * (uploaded with `?provider=` or a `provider` form field, then found by their mapping).
 */
@Injectable()
export class FilesService {
  constructor(
    private readonly store: FileStore,
    private readonly providers: ProviderFiles,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(exchange: Exchange, providerHint: string | undefined): Promise<RouteResult> {
    const owner = ownerOf(exchange);
    const contentType = exchange.request.headers['content-type'] ?? '';
    if (providerHint !== undefined) {
      // The client's body already is the provider's upload: it streams through unparsed.
      const instance = this.providers.resolve(providerHint);
      const upstream = await this.providers.upload(exchange, instance, exchange.request, contentType);
      return jsonResult(200, await this.store.createMapped(owner, instance.name, upstream));
    }
    const file = await receiveMultipart(exchange.request, (part, form) => {
      const provider = form.fields.get('provider');
      return provider === undefined ? this.receive(owner, part, form) : this.forward(exchange, owner, provider, part, form);
    });
    return jsonResult(200, file);
  }

  /** Streams the part into the store, checking batch input as it passes. */
  private receive(owner: FileOwner, part: UploadedPart, form: UploadForm): Promise<FileObject> {
    const checker = new JsonlChecker({ ...BATCH_FILE_LIMITS, maxLineBytes: this.config.bodySizeLimit });
    const createdAt = Math.floor(Date.now() / 1000);
    return this.store.receive(owner, { filename: part.filename, contentType: part.mimeType }, observed(part, checker), {}, async () => {
      await form.finished;
      const fields = readUploadFields(form.fields, createdAt);
      const problem = fields.purpose === 'batch' ? checker.finish() : undefined;
      if (problem !== undefined) throw GatewayError.invalidRequest(`Invalid 'file' for purpose 'batch': ${problem}.`, 'file', 'invalid_batch_file');
      return fields;
    });
  }

  /** A `provider` form field (before the file): the form is re-encoded for the provider as it streams. */
  private async forward(exchange: Exchange, owner: FileOwner, provider: string, part: UploadedPart, form: UploadForm): Promise<FileObject> {
    const instance = this.providers.resolve(provider);
    const encoded = encodeMultipart(part, form, ['provider']);
    const upstream = await this.providers.upload(exchange, instance, encoded.body, encoded.contentType);
    return this.store.createMapped(owner, instance.name, upstream);
  }

  async list(exchange: Exchange, query: FilesListQuery): Promise<RouteResult> {
    const page = await this.store.list(ownerOf(exchange), query);
    const data = page.data;
    return jsonResult(200, { object: 'list', data, has_more: page.has_more, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  }

  async retrieve(exchange: Exchange, id: string): Promise<RouteResult> {
    const location = await this.locate(exchange, id);
    if (location.provider === null) return jsonResult(200, location.file);
    const upstream = await this.providers.retrieve(exchange, this.providers.resolve(location.provider), location.providerFileId!);
    return jsonResult(200, { ...upstream, id: location.file.id });
  }

  async delete(exchange: Exchange, id: string): Promise<RouteResult> {
    const location = await this.locate(exchange, id);
    if (location.provider !== null) await this.providers.delete(exchange, this.providers.resolve(location.provider), location.providerFileId!);
    if (!(await this.store.delete(ownerOf(exchange), id))) throw notFound(id);
    return jsonResult(200, { id: location.file.id, object: 'file', deleted: true });
  }

  async content(exchange: Exchange, id: string): Promise<RouteResult> {
    const location = await this.locate(exchange, id);
    if (location.provider !== null) {
      const upstream = await this.providers.content(exchange, this.providers.resolve(location.provider), location.providerFileId!);
      const headers = { 'content-type': header(upstream.headers['content-type']) ?? location.contentType, ...lengthHeader(header(upstream.headers['content-length'])) };
      return { kind: 'raw', status: 200, headers, body: upstream.body };
    }
    const content = await this.store.content(ownerOf(exchange), id);
    if (!content) throw notFound(id);
    const chunks = relay(content.body);
    // The length is known, so clients see progress and a cut download as such.
    return { kind: 'stream', status: 200, headers: { 'content-type': content.contentType, 'content-length': content.file.bytes }, chunks, onError: () => undefined };
  }

  private async locate(exchange: Exchange, id: string): Promise<FileLocation> {
    const location = await this.store.locate(ownerOf(exchange), id);
    if (!location) throw notFound(id);
    return location;
  }
}

function ownerOf(exchange: Exchange): FileOwner {
  return { keyId: exchange.caller.keyId, userPath: exchange.caller.userPath };
}

/** OpenAI's answer for an id that names no file the caller can see. */
export function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No such File object: ${id}`, { param: 'id' });
}

async function* observed(part: UploadedPart, checker: JsonlChecker): AsyncGenerator<Buffer> {
  for await (const chunk of part.stream) {
    checker.push(chunk as Buffer);
    yield chunk as Buffer;
  }
}

async function* relay(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void> {
  for await (const chunk of body) yield chunk;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function lengthHeader(length: string | undefined): Record<string, string> {
  return length !== undefined && /^\d+$/.test(length) ? { 'content-length': length } : {};
}
