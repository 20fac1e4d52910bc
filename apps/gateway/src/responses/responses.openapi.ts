import { getSchemaPath } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import type { HotRouteDoc } from '../openapi/hot-route-doc';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(OpenAIErrorEnvelopeDto) } } } });
const object = { type: 'object', additionalProperties: true } as const;
const json = (description: string) => ({ description, content: { 'application/json': { schema: object } } });

function doc(summary: string, ok: { description: string; content: Record<string, { schema: typeof object }> }, extra: Record<string, unknown> = {}): HotRouteDoc {
  return {
    models: [OpenAIErrorEnvelopeDto],
    operation: {
      tags: ['OpenAI'],
      summary,
      security: [{ bearer: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: object } } },
      responses: {
        '200': ok,
        '400': error('A field the gateway cannot serve (named in `param`)'),
        '401': error('Missing or invalid gateway key'),
        '404': error('Unknown model, previous response or conversation'),
        ...extra,
      },
    },
  };
}

/** OpenAPI descriptions of the hot-path Responses routes. */
export const RESPONSES_DOC = {
  create: doc(
    'Create a response (any provider; native where the provider has the Responses API, else translated through chat; SSE when stream is true)',
    { description: 'A response object, or an SSE stream of Responses events', content: { 'application/json': { schema: object }, 'text/event-stream': { schema: object } } },
    { '502': error('Upstream provider failed'), '504': error('Upstream provider timed out') },
  ),
  inputTokens: doc('Count the input tokens of a Responses request (provider-native, else a local estimate)', json('`{"object":"response.input_tokens","input_tokens":N}`')),
  compact: doc('Compact a conversation (providers with a native Responses API)', json('The compacted item list'), { '501': error('The provider has no compaction') }),
};
