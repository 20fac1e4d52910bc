import { randomBytes } from 'node:crypto';
import { azureRoutes, discardBody, openAIStatusFailure, type ProviderInstance, type UpstreamCallContext } from '@app/providers';
import type { BatchEndpoint } from '../batch-limits';
import type { NativeBatchClient, NativeCreateRequest } from './native-batch-client';
import { callJson, jsonlObjects } from './native-http';
import { fromOpenAIOutputLine, type NativeResultLine } from './native-lines';
import { fromOpenAIBatch, type NativeSnapshot } from './native-snapshot';

/** Where the Files and Batch APIs live on one provider, relative to what its adapter's forward() takes. */
interface BatchPaths {
  path(rest: string): string;
  /** How the provider names an endpoint in `endpoint` and each line's `url`. */
  endpoint(endpoint: BatchEndpoint): string;
}

/**
 * OpenAI's Batch API, as OpenAI, Groq and Azure OpenAI serve it: the JSONL (each line's model
 * rewritten to the upstream model) is uploaded through the provider's Files API with
 * purpose=batch, then `POST /batches` names it; output and error files are read when it ends.
 */
export class OpenAIBatchClient implements NativeBatchClient {
  readonly endpoints: readonly BatchEndpoint[] = ['/v1/chat/completions', '/v1/embeddings', '/v1/responses'];
  private readonly paths: BatchPaths;

  constructor(private readonly instance: ProviderInstance) {
    this.paths = instance.config.dialect === 'azure' ? azurePaths(instance) : { path: (rest) => rest, endpoint: (endpoint) => endpoint };
  }

  async create(request: NativeCreateRequest, context: UpstreamCallContext): Promise<{ nativeId: string; snapshot: NativeSnapshot }> {
    const url = this.paths.endpoint(request.endpoint);
    const jsonl = request.lines.map((line) => JSON.stringify({ custom_id: line.customId, method: 'POST', url, body: line.body })).join('\n');
    const { body, contentType } = multipart(jsonl);
    const file = await this.call({ method: 'POST', path: this.paths.path('/files'), body, contentType }, context);
    const fileId = String(file.id);
    const created = await this.call(
      {
        method: 'POST',
        path: this.paths.path('/batches'),
        body: JSON.stringify({ input_file_id: fileId, endpoint: url, completion_window: '24h', ...(request.metadata ? { metadata: request.metadata } : {}) }),
      },
      context,
    ).catch(async (error: unknown) => {
      // The input is of no use to the provider without its batch: best effort, the refusal is what counts.
      await this.deleteFile(fileId, context);
      throw error;
    });
    if (typeof created.id !== 'string') throw new Error(`Provider '${this.instance.name}' answered the batch creation without an id.`);
    return { nativeId: created.id, snapshot: fromOpenAIBatch(created) };
  }

  async retrieve(nativeId: string, context: UpstreamCallContext): Promise<NativeSnapshot> {
    return fromOpenAIBatch(await this.call({ method: 'GET', path: this.paths.path(`/batches/${encodeURIComponent(nativeId)}`) }, context));
  }

  async cancel(nativeId: string, context: UpstreamCallContext): Promise<NativeSnapshot> {
    return fromOpenAIBatch(await this.call({ method: 'POST', path: this.paths.path(`/batches/${encodeURIComponent(nativeId)}/cancel`) }, context));
  }

  async *results(_nativeId: string, snapshot: NativeSnapshot, _endpoint: BatchEndpoint, _tool: unknown, context: UpstreamCallContext): AsyncGenerator<NativeResultLine> {
    for (const fileId of [snapshot.outputFileId, snapshot.errorFileId]) {
      if (!fileId) continue;
      for await (const raw of jsonlObjects(this.instance, openAIStatusFailure, this.paths.path(`/files/${encodeURIComponent(fileId)}/content`), context)) {
        const line = fromOpenAIOutputLine(raw);
        if (line) yield line;
      }
    }
  }

  private async deleteFile(fileId: string, context: UpstreamCallContext): Promise<void> {
    try {
      const response = await this.instance.adapter.forward({ method: 'DELETE', path: this.paths.path(`/files/${encodeURIComponent(fileId)}`), headers: {} }, context);
      discardBody(response.body);
    } catch {
      // Left at the provider, which expires batch inputs on its own.
    }
  }

  private call(request: Parameters<typeof callJson>[2], context: UpstreamCallContext): Promise<Record<string, unknown>> {
    return callJson(this.instance, openAIStatusFailure, request, context);
  }
}

/**
 * Azure OpenAI: on the classic surface `/openai/files` and `/openai/batches` with `api-version`,
 * and endpoints named without `/v1` (`/chat/completions`), as Azure's batch reference shows; on
 * the v1 surface OpenAI's own paths under `/openai/v1`. forward() prepends what the configured
 * base URL already holds, so that part is taken off here.
 */
function azurePaths(instance: ProviderInstance): BatchPaths {
  const routes = azureRoutes(instance.config);
  const v1 = routes.surface === 'v1';
  const root = v1 ? '/openai/v1' : '/openai';
  const version = v1 ? '' : `api-version=${encodeURIComponent(instance.config.azure?.apiVersion ?? '')}`;
  return {
    path: (rest) => {
      const full = `${root}${rest}${version ? `${rest.includes('?') ? '&' : '?'}${version}` : ''}`;
      return full.startsWith(routes.forwardPrefix) ? full.slice(routes.forwardPrefix.length) : full;
    },
    endpoint: (endpoint) => (v1 ? endpoint : endpoint.replace(/^\/v1/, '')),
  };
}

/** A multipart/form-data body with `purpose=batch` and the JSONL as `file`, as the Files API takes an upload. */
function multipart(jsonl: string): { body: Buffer; contentType: string } {
  const boundary = `switchyard-${randomBytes(12).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="batch.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), Buffer.from(jsonl), Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}
