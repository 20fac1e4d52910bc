/**
 * Whether a header or query-parameter name carries a credential, whatever the provider calls it:
 * `x-api-key`, `anthropic-api-key`, `openai-api-key`, `x-goog-api-key`, `x-amz-security-token`,
 * `x-auth-token`, `?key=`, `?api_key=`, `?access_token=`, `X-Amz-Signature`, Azure SAS `sig` …
 * A passthrough forwards every name it does not recognise, so the test is by shape, not by list:
 * names are compared squashed (lower-case, without `-`, `_`, `.`, brackets), which also catches
 * camelCase (`apiKey`, `accessToken`).
 */
export function isCredentialName(name: string): boolean {
  const squashed = name.toLowerCase().replace(/[-_.\s[\]]/g, '');
  if (NOT_CREDENTIALS.has(squashed)) return false;
  return CREDENTIAL_SUFFIXES.some((suffix) => squashed.endsWith(suffix)) || CREDENTIAL_INFIXES.some((infix) => squashed.includes(infix));
}

const CREDENTIAL_SUFFIXES = ['key', 'token', 'secret', 'password', 'passwd', 'signature', 'sig', 'credential', 'credentials', 'authorization', 'auth', 'cookie', 'jwt'];
const CREDENTIAL_INFIXES = ['apikey', 'accesskey', 'secret', 'password', 'passwd', 'authorization', 'credential', 'bearer', 'securitytoken', 'sessiontoken'];

/** Names that end like a credential but are not one: retries' idempotency keys and pagination cursors must pass. */
const NOT_CREDENTIALS = new Set(['idempotencykey', 'pagetoken', 'nextpagetoken', 'nexttoken', 'continuationtoken', 'skiptoken', 'paginationtoken']);
