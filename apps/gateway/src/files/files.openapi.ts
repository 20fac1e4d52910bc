import { getSchemaPath } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { HotRouteDoc } from '../openapi/hot-route-doc';
import { FILE_PURPOSES } from './upload-fields';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(OpenAIErrorEnvelopeDto) } } } });
const fileObject: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', example: 'file-4f0c1e…' },
    object: { type: 'string', enum: ['file'] },
    bytes: { type: 'integer' },
    created_at: { type: 'integer', description: 'Unix seconds' },
    expires_at: { type: 'integer', nullable: true, description: 'Unix seconds; null = kept until deleted' },
    filename: { type: 'string' },
    purpose: { type: 'string', enum: [...FILE_PURPOSES] },
    status: { type: 'string', enum: ['processed'] },
  },
};
const idParameter = { name: 'file_id', in: 'path', required: true, schema: { type: 'string' } } as const;
const common = { '401': error('Missing or invalid gateway key'), '404': error('No such file for this caller (another user path, expired or deleted)') };

type Operation = Pick<HotRouteDoc['operation'], 'parameters' | 'requestBody' | 'responses'>;

function doc(summary: string, description: string, operation: Operation): HotRouteDoc {
  return { models: [OpenAIErrorEnvelopeDto], operation: { tags: ['Files'], summary, description, security: [{ bearer: [] }], ...operation } };
}

const uploadForm: SchemaObject = {
  type: 'object',
  required: ['file', 'purpose'],
  properties: {
    file: { type: 'string', format: 'binary' },
    purpose: { type: 'string', enum: [...FILE_PURPOSES] },
    'expires_after[anchor]': { type: 'string', enum: ['created_at'] },
    'expires_after[seconds]': { type: 'integer', minimum: 3600, maximum: 2592000 },
    provider: { type: 'string', description: "Forward to this provider's Files API instead (must come before `file`)" },
  },
};

/** OpenAPI descriptions of the Files API routes. */
export const FILES_DOC = {
  upload: doc(
    'Upload a file (OpenAI Files API)',
    "Streams the upload into Switchyard's store (database chunks, shared by every replica) — or, with `?provider=` or a `provider` form field, to that provider's Files API, remembering where it went. " +
      "`purpose=batch` files must be JSONL (one JSON object per line, at most 50,000 lines and 200 MB). Larger than FILES_MAX_BYTES: 413. Files are visible to their user path only (the key's own files without one).",
    {
      parameters: [{ name: 'provider', in: 'query', required: false, schema: { type: 'string' }, description: 'Provider instance or type to hold the file' }],
      requestBody: { required: true, content: { 'multipart/form-data': { schema: uploadForm } } },
      responses: {
        '200': { description: 'The file', content: { 'application/json': { schema: fileObject } } },
        '400': error('Missing `file`, bad `purpose`, `expires_after` or batch JSONL (named in `param`)'),
        '413': error('Larger than FILES_MAX_BYTES'),
        ...common,
      },
    },
  ),
  list: doc('List files', 'Newest first by default; keyset pagination with `after` (a file id).', {
    parameters: [
      { name: 'purpose', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 10000, default: 10000 } },
      { name: 'order', in: 'query', required: false, schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' } },
      { name: 'after', in: 'query', required: false, schema: { type: 'string' } },
    ],
    responses: {
      '200': { description: '`{object:"list", data, has_more, first_id, last_id}`', content: { 'application/json': { schema: { type: 'object' } } } },
      '400': error('Bad `limit`, `order` or `after`'),
      '401': common['401'],
    },
  }),
  byId: (method: string): HotRouteDoc =>
    method === 'DELETE'
      ? doc('Delete a file', 'Also deletes it at the provider for a provider-held file.', {
          parameters: [idParameter],
          responses: { '200': { description: '`{id, object:"file", deleted:true}`' }, ...common },
        })
      : doc('Retrieve a file, or its content (`/v1/files/{file_id}/content`)', 'The content streams with its type: application/jsonl for .jsonl, else the uploaded type.', {
          parameters: [idParameter],
          responses: { '200': { description: 'The file object, or the raw content' }, ...common },
        }),
};
