import { getSchemaPath } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import type { HotRouteDoc } from '../openapi/hot-route-doc';
import { ChatCompletionChunkDto, ChatCompletionDto, ChatCompletionRequestDto } from './dto/chat-completion.dto';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(OpenAIErrorEnvelopeDto) } } } });

/** OpenAPI description of POST /v1/chat/completions (served on the hot path, so not by a decorator). */
export const CHAT_COMPLETIONS_DOC: HotRouteDoc = {
  models: [ChatCompletionRequestDto, ChatCompletionDto, ChatCompletionChunkDto, OpenAIErrorEnvelopeDto],
  operation: {
    tags: ['OpenAI'],
    summary: 'Create a chat completion (any provider; SSE when stream is true)',
    security: [{ bearer: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: getSchemaPath(ChatCompletionRequestDto) } } } },
    responses: {
      '200': {
        description: 'A chat completion, or an SSE stream of chunks ending with `data: [DONE]`',
        content: {
          'application/json': { schema: { $ref: getSchemaPath(ChatCompletionDto) } },
          'text/event-stream': { schema: { $ref: getSchemaPath(ChatCompletionChunkDto) } },
        },
      },
      '400': error('Malformed JSON or a missing/invalid field (named in `param`)'),
      '401': error('Missing or invalid gateway key'),
      '404': error('Unknown model (`model_not_found`)'),
      '413': error('Body over BODY_SIZE_LIMIT'),
      '429': error('Rate limited by the upstream provider'),
      '502': error('Upstream provider failed or was unreachable'),
      '503': error('Provider circuit open after repeated failures'),
      '504': error('Upstream provider timed out'),
    },
  },
};
