import { getSchemaPath } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import type { HotRouteDoc } from '../openapi/hot-route-doc';
import { EmbeddingsRequestDto, EmbeddingsResponseDto } from './dto/embeddings.dto';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(OpenAIErrorEnvelopeDto) } } } });

export const EMBEDDINGS_DOC: HotRouteDoc = {
  models: [EmbeddingsRequestDto, EmbeddingsResponseDto, OpenAIErrorEnvelopeDto],
  operation: {
    tags: ['OpenAI'],
    summary: 'Create embeddings (OpenAI-compatible providers, Gemini, Bedrock, Ollama)',
    security: [{ bearer: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: getSchemaPath(EmbeddingsRequestDto) } } } },
    responses: {
      '200': { description: 'Embeddings in the OpenAI list shape', content: { 'application/json': { schema: { $ref: getSchemaPath(EmbeddingsResponseDto) } } } },
      '400': error('Missing model/input, or the provider has no embeddings'),
      '401': error('Missing or invalid gateway key'),
      '404': error('Unknown model'),
      '502': error('Upstream failure'),
      '504': error('Upstream timeout'),
    },
  },
};
