/** Anthropic's error envelope, as its API reference documents it. */
export interface AnthropicErrorEnvelope {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

export function anthropicError(type: string, message: string): AnthropicErrorEnvelope {
  return { type: 'error', error: { type, message }, request_id: 'req_fake0001' };
}

/** The error Anthropic documents for each HTTP status. */
export function defaultAnthropicError(status: number): AnthropicErrorEnvelope {
  switch (status) {
    case 400:
      return anthropicError('invalid_request_error', 'There was an issue with the format or content of your request.');
    case 401:
      return anthropicError('authentication_error', 'invalid x-api-key');
    case 402:
      return anthropicError('billing_error', 'There is an issue with your billing or payment information.');
    case 403:
      return anthropicError('permission_error', 'Your API key does not have permission to use the specified resource.');
    case 404:
      return anthropicError('not_found_error', 'The requested resource was not found.');
    case 413:
      return anthropicError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    case 429:
      return anthropicError('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.');
    case 500:
      return anthropicError('api_error', "An unexpected error has occurred internal to Anthropic's systems.");
    case 504:
      return anthropicError('timeout_error', 'The request timed out.');
    case 529:
      return anthropicError('overloaded_error', 'Overloaded');
    default:
      return status >= 500 ? anthropicError('api_error', `Internal error (HTTP ${status}).`) : anthropicError('invalid_request_error', `Request rejected (HTTP ${status}).`);
  }
}
