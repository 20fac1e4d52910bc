/** OpenAI's error envelope, as its API reference documents it. */
export interface OpenAIErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorEnvelope(message: string, type: string, code: string | null = null, param: string | null = null): OpenAIErrorEnvelope {
  return { error: { message, type, param, code } };
}

/** The body OpenAI sends for a given status, with messages modelled on its real answers. */
export function defaultErrorFor(status: number, model: string): OpenAIErrorEnvelope {
  switch (status) {
    case 400:
      return errorEnvelope('Invalid request.', 'invalid_request_error');
    case 401:
      return errorEnvelope('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 403:
      return errorEnvelope('Country, region, or territory not supported.', 'request_forbidden', 'unsupported_country_region_territory');
    case 404:
      return errorEnvelope(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    case 429:
      return errorEnvelope(
        `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.`,
        'requests',
        'rate_limit_exceeded',
      );
    case 500:
      return errorEnvelope('The server had an error while processing your request. Sorry about that!', 'server_error');
    case 503:
      return errorEnvelope('The engine is currently overloaded, please try again later.', 'server_error');
    default:
      return status >= 500 ? errorEnvelope(`Upstream failure (HTTP ${status}).`, 'server_error') : errorEnvelope(`Request rejected (HTTP ${status}).`, 'invalid_request_error');
  }
}

/** What OpenAI answers when the Authorization header is missing or wrong; never echoes the key. */
export function authError(authorization: string | undefined): OpenAIErrorEnvelope {
  if (!authorization) {
    return errorEnvelope(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
    );
  }
  return errorEnvelope('Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key');
}

export const INVALID_JSON_ERROR = errorEnvelope(
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  'invalid_request_error',
);

export function invalidUrlError(method: string, path: string): OpenAIErrorEnvelope {
  return errorEnvelope(`Invalid URL (${method} ${path})`, 'invalid_request_error');
}
