/** Gemini's error envelope (google.rpc.Status over HTTP), as its API reference documents it. */
export interface GeminiErrorEnvelope {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

export function geminiError(code: number, status: string, message: string, details?: unknown[]): GeminiErrorEnvelope {
  return { error: details ? { code, message, status, details } : { code, message, status } };
}

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The body Gemini sends for a given status, with messages modelled on its real answers. */
export function defaultGeminiError(code: number, model: string): GeminiErrorEnvelope {
  switch (code) {
    case 400:
      return geminiError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
    case 403:
      return geminiError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    case 404:
      return modelNotFound(model);
    case 429:
      return geminiError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0s' },
      ]);
    case 500:
      return geminiError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    case 503:
      return geminiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
    default:
      return geminiError(code, STATUS_BY_CODE[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'), `Request failed (HTTP ${code}).`);
  }
}

export function modelNotFound(model: string): GeminiErrorEnvelope {
  return geminiError(
    404,
    'NOT_FOUND',
    `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
  );
}

export const MISSING_KEY_ERROR = geminiError(
  403,
  'PERMISSION_DENIED',
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
);

export const INVALID_KEY_ERROR = geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
]);

export function invalidArgument(message: string): GeminiErrorEnvelope {
  return geminiError(400, 'INVALID_ARGUMENT', message);
}
