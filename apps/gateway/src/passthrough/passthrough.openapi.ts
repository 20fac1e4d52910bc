import { getSchemaPath } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import type { HotRouteDoc } from '../openapi/hot-route-doc';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(OpenAIErrorEnvelopeDto) } } } });

/** OpenAPI description of `/p/{provider}/…` (one per method; OpenAPI cannot template the trailing path). */
export function passthroughDoc(method: string): HotRouteDoc {
  return {
    models: [OpenAIErrorEnvelopeDto],
    operation: {
      tags: ['Provider passthrough'],
      summary: `${method} /p/{provider}/{path}: forward to the provider's native API`,
      description:
        'Forwards the request, path and query kept, to the named provider (instance name like `openai-east`, or a type like `openai` for its first instance). ' +
        "A leading `v1/` is accepted when the provider base URL already ends in `/v1`. The client's credentials, cookies, proxy and hop-by-hop headers are " +
        "stripped and the provider's credential injected. Bodies stream both ways untouched; the answer is the provider's own (status, headers except Set-Cookie, body).",
      security: [{ bearer: [] }],
      parameters: [{ name: 'provider', in: 'path', required: true, schema: { type: 'string' }, description: 'Provider instance or type name' }],
      responses: {
        default: { description: "The provider's own answer, relayed as it was sent" },
        '400': error('Passthrough is not enabled for this provider (`provider_disabled`), or the path has dot segments'),
        '401': error('Missing or invalid gateway key'),
        '404': error('Unknown provider (`provider_not_found`); the message lists the enabled ones'),
        '502': error('Upstream provider unreachable'),
        '503': error('Provider circuit open after repeated failures'),
      },
    },
  };
}
