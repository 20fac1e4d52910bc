import type { HotRouteDoc } from '../openapi/hot-route-doc';

const ERROR_ENVELOPE = {
  type: 'object',
  properties: {
    type: { type: 'string', example: 'error' },
    error: { type: 'object', properties: { type: { type: 'string', example: 'invalid_request_error' }, message: { type: 'string', example: 'max_tokens: Field required' } } },
  },
};
const error = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_ENVELOPE } } });
const security = [{ bearer: [] }];

/** OpenAPI description of POST /v1/messages (served on the hot path, so not by a decorator). */
export const MESSAGES_DOC: HotRouteDoc = {
  models: [],
  operation: {
    tags: ['Anthropic'],
    summary: 'Create a message (Anthropic Messages API, any provider; SSE when stream is true)',
    description:
      'Accepts the gateway key as `x-api-key` or `Authorization: Bearer`, and any `anthropic-version`. On an Anthropic provider the body is forwarded ' +
      'untouched except `model` (cache_control, thinking signatures, server tools and `anthropic-beta` survive); on any other provider it is translated, ' +
      'and what cannot be translated (server tools, citations …) is refused with a 400 naming it.',
    security,
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['model', 'max_tokens', 'messages'] } } } },
    responses: {
      '200': { description: 'A `message` object, or an SSE stream of Anthropic message events', content: { 'application/json': {}, 'text/event-stream': {} } },
      '400': error('Malformed JSON, a missing/invalid field, or something the target provider cannot take (`invalid_request_error`)'),
      '401': error('Missing or invalid gateway key (`authentication_error`)'),
      '404': error('Unknown model (`not_found_error`)'),
      '413': error('Body over BODY_SIZE_LIMIT (`request_too_large`)'),
      '429': error('Rate limited by the upstream provider (`rate_limit_error`)'),
      '500': error('Upstream or gateway failure (`api_error`)'),
      '529': error('Upstream overloaded, or provider circuit open (`overloaded_error`)'),
    },
  },
};

/** OpenAPI description of POST /v1/messages/count_tokens. */
export const COUNT_TOKENS_DOC: HotRouteDoc = {
  models: [],
  operation: {
    tags: ['Anthropic'],
    summary: "Count a message's input tokens (the provider's count on Anthropic, else a local estimate)",
    security,
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['model', 'messages'] } } } },
    responses: {
      '200': { description: '`{"input_tokens": N}`', content: { 'application/json': { schema: { type: 'object', properties: { input_tokens: { type: 'integer' } } } } } },
      '400': error('Malformed JSON or a missing field'),
      '401': error('Missing or invalid gateway key'),
      '404': error('Unknown model'),
    },
  },
};
