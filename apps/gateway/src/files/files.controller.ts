import { Controller } from '@nestjs/common';
import { GatewayError, requireWellFormedId } from '@app/core';
import type { Exchange } from '../pipeline/exchange';
import { HotRoute } from '../pipeline/hot-route.decorator';
import type { Admitted, RouteOutcome, RouteResult } from '../pipeline/route-result';
import { parseFilePath, readFilesListQuery } from './files-query';
import { FILES_DOC } from './files.openapi';
import { FilesService } from './files.service';

/**
 * The OpenAI Files API as hot routes: an upload streams through node:http straight into the store
 * (Express's body handling would buffer it), downloads stream out with backpressure, and auth and
 * request ids come from the pipeline as on every inference route. No usage records: nothing here
 * spends tokens. Every call is admitted like any other (the key's requests-per-minute and in-flight
 * limits), without tokens or budgets.
 */
/** Admission before the work: limits only, since the route names no model. */
const admitted = (run: () => Promise<RouteResult>): Admitted => ({ kind: 'admitted', run });

@Controller()
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @HotRoute({ method: 'POST', path: '/v1/files', dialect: 'openai', usage: false, body: 'stream', doc: FILES_DOC.upload })
  upload(exchange: Exchange): RouteOutcome {
    const provider = query(exchange).get('provider') ?? undefined;
    return admitted(() => this.files.upload(exchange, provider));
  }

  @HotRoute({ method: 'GET', path: '/v1/files', dialect: 'openai', usage: false, body: 'stream', doc: FILES_DOC.list })
  list(exchange: Exchange): RouteOutcome {
    const listQuery = readFilesListQuery(query(exchange));
    return admitted(() => this.files.list(exchange, listQuery));
  }

  @HotRoute({ method: ['GET', 'DELETE'], path: '/v1/files/{file_id}', prefix: '/v1/files/', dialect: 'openai', usage: false, body: 'stream', doc: FILES_DOC.byId })
  byId(exchange: Exchange): RouteOutcome {
    const { request } = exchange;
    const path = parseFilePath((request.url ?? '/').split('?', 1)[0]);
    if (!path || (path.content && request.method === 'DELETE')) throw new GatewayError('not_found', `Invalid URL (${request.method} ${request.url})`, { code: 'unknown_url' });
    const id = requireWellFormedId(path.id, 'file_id');
    if (request.method === 'DELETE') return admitted(() => this.files.delete(exchange, id));
    return admitted(() => (path.content ? this.files.content(exchange, id) : this.files.retrieve(exchange, id)));
  }
}

function query(exchange: Exchange): URLSearchParams {
  const url = exchange.request.url ?? '/';
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}
