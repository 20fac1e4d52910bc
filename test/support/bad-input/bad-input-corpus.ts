/**
 * The bad-input corpus: every route × the ways clients get input wrong (malformed JSON, wrong
 * types, extreme nesting, invalid UTF-8, U+0000, huge strings, traversal, CR/LF). Each case is
 * one raw request; the suites built from it assert that no answer is a 5xx and that every error
 * is in the route's envelope. Shared by the SQLite e2e suite and the PostgreSQL integration one.
 */

export type Dialect = 'openai' | 'anthropic';

/** One raw request of the corpus. */
export interface BadInputCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly dialect: Dialect;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Status expected when it is known exactly (most cases only promise "a 4xx or a success"). */
  readonly status?: number;
  /** The `param` a 400 must name, when the case is about one field. */
  readonly param?: string;
}

/** Ids of real objects the corpus needs for the routes that take them. */
export interface CorpusFixtures {
  readonly responseId: string;
  readonly conversationId: string;
  readonly itemId: string;
}

/** Placeholders in case paths, replaced by the fixtures' ids when the case is sent (see fillFixtures). */
const PLACEHOLDERS: CorpusFixtures = { responseId: '{RESPONSE_ID}', conversationId: '{CONVERSATION_ID}', itemId: '{ITEM_ID}' };

/** A case path with the placeholders replaced by the suite's real ids. */
export function fillFixtures(path: string, fixtures: CorpusFixtures): string {
  return path.replace(PLACEHOLDERS.responseId, fixtures.responseId).replace(PLACEHOLDERS.conversationId, fixtures.conversationId).replace(PLACEHOLDERS.itemId, fixtures.itemId);
}

/** BODY_SIZE_LIMIT the suites boot the gateway with, so "near the limit" stays cheap. */
export const CORPUS_BODY_LIMIT = 256 * 1024;
/** A chat model served by the fake OpenAI-compatible (chat) upstream, and one by the native Responses one. */
export const CHAT_MODEL = 'groq/llama-3.3-70b';
export const NATIVE_MODEL = 'gpt-4o';

const USER = [{ role: 'user', content: 'hi' }];
const ITEMS = [{ type: 'message', role: 'user', content: 'hi' }];

interface BodyRoute {
  readonly name: string;
  readonly method: string;
  readonly path: (f: CorpusFixtures) => string;
  readonly dialect: Dialect;
  readonly base: Record<string, unknown>;
  /** The route's main list field, where wrong types and bad strings are planted. */
  readonly list?: 'messages' | 'input' | 'items';
}

const BODY_ROUTES: readonly BodyRoute[] = [
  { name: 'chat', method: 'POST', path: () => '/v1/chat/completions', dialect: 'openai', base: { model: CHAT_MODEL, messages: USER }, list: 'messages' },
  { name: 'embeddings', method: 'POST', path: () => '/v1/embeddings', dialect: 'openai', base: { model: CHAT_MODEL, input: 'hi' }, list: 'input' },
  { name: 'messages', method: 'POST', path: () => '/v1/messages', dialect: 'anthropic', base: { model: CHAT_MODEL, max_tokens: 16, messages: USER }, list: 'messages' },
  { name: 'count_tokens', method: 'POST', path: () => '/v1/messages/count_tokens', dialect: 'anthropic', base: { model: CHAT_MODEL, messages: USER }, list: 'messages' },
  { name: 'responses (native)', method: 'POST', path: () => '/v1/responses', dialect: 'openai', base: { model: NATIVE_MODEL, input: ITEMS }, list: 'input' },
  { name: 'responses (translated)', method: 'POST', path: () => '/v1/responses', dialect: 'openai', base: { model: CHAT_MODEL, input: ITEMS }, list: 'input' },
  { name: 'input_tokens (native)', method: 'POST', path: () => '/v1/responses/input_tokens', dialect: 'openai', base: { model: NATIVE_MODEL, input: ITEMS }, list: 'input' },
  { name: 'input_tokens (estimated)', method: 'POST', path: () => '/v1/responses/input_tokens', dialect: 'openai', base: { model: CHAT_MODEL, input: ITEMS }, list: 'input' },
  { name: 'compact', method: 'POST', path: () => '/v1/responses/compact', dialect: 'openai', base: { model: NATIVE_MODEL, input: ITEMS }, list: 'input' },
  { name: 'conversation create', method: 'POST', path: () => '/v1/conversations', dialect: 'openai', base: { items: ITEMS, metadata: { a: 'b' } }, list: 'items' },
  { name: 'conversation update', method: 'POST', path: (f) => `/v1/conversations/${f.conversationId}`, dialect: 'openai', base: { metadata: { a: 'b' } } },
  { name: 'conversation items create', method: 'POST', path: (f) => `/v1/conversations/${f.conversationId}/items`, dialect: 'openai', base: { items: ITEMS }, list: 'items' },
  { name: 'passthrough', method: 'POST', path: () => '/p/groq/v1/chat/completions', dialect: 'openai', base: { model: 'llama-3.3-70b', messages: USER }, list: 'messages' },
];

const json = (value: unknown) => JSON.stringify(value);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** `base` with `text` planted where the route reads strings: in its list's first entry, else in metadata (and, whole, beside it). */
function withString(route: BodyRoute, text: string): Record<string, unknown> {
  if (route.list === 'items' || route.list === 'input') return { ...route.base, [route.list]: [{ type: 'message', role: 'user', content: text }] };
  if (route.list === 'messages') return { ...route.base, messages: [{ role: 'user', content: text }] };
  return { ...route.base, metadata: { a: text.slice(0, 512) }, note: text };
}

/** The same body with invalid UTF-8 bytes inside a string value. */
function withInvalidUtf8(route: BodyRoute): Buffer {
  const [before, after] = json(withString(route, 'MARK')).split('MARK');
  return Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0xc0, 0xae, 0xed, 0xa0, 0x80, 0xe2, 0x82]), Buffer.from(after)]);
}

function bodyCases(route: BodyRoute): Array<Omit<BadInputCase, 'method' | 'path' | 'dialect'>> {
  const list = route.list;
  // Passthrough bodies are opaque: the provider judges them, not the gateway.
  const gatewayParsed = route.name === 'passthrough' ? undefined : 400;
  const cases: Array<Omit<BadInputCase, 'method' | 'path' | 'dialect'>> = [
    { name: 'malformed JSON', body: '{"model": "x", ', status: gatewayParsed },
    { name: 'a JSON array body', body: '[1,2]', status: gatewayParsed },
    { name: 'a JSON string body', body: '"hello"', status: gatewayParsed },
    { name: 'an empty body', body: '' },
    { name: 'depth 100k', body: `{"model":"m","x":${nested(100_000)}}`, status: gatewayParsed },
    { name: 'depth 40k of objects', body: `{"model":"m","x":${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}}`, status: gatewayParsed },
    { name: 'depth 65 (one past the limit)', body: json({ ...route.base, extra: JSON.parse(nested(64)) }), status: gatewayParsed },
    { name: 'depth 40 (a deep tool schema is fine)', body: json({ ...route.base, extra: JSON.parse(nested(38)) }) },
    { name: 'model as a number', body: json({ ...route.base, model: 42 }) },
    { name: 'model as an object', body: json({ ...route.base, model: { $ne: 1 } }) },
    { name: 'model with U+0000', body: json({ ...route.base, model: 'gpt\u0000-4o' }) },
    {
      name: 'model with CR/LF (it is echoed in a response header)',
      body: json({ ...route.base, model: `${typeof route.base.model === 'string' ? route.base.model : 'm'}\r\nX-Injected: 1` }),
    },
    { name: 'model with traversal', body: json({ ...route.base, model: '../../admin' }) },
    { name: 'stream as a string', body: json({ ...route.base, stream: 'yes' }) },
    { name: 'stream as an object', body: json({ ...route.base, stream: {} }) },
    { name: 'invalid UTF-8 bytes in a string', body: withInvalidUtf8(route) },
    { name: 'U+0000 in a string', body: json(withString(route, 'a\u0000b')) },
    { name: 'lone surrogate in a string', body: json(withString(route, 'LONE')).replace('LONE', '\\ud800') },
    { name: 'CR/LF in a string', body: json(withString(route, 'line\r\nX-Injected: 1')) },
    {
      name: 'a huge string just under the size limit',
      body: json(withString(route, 'lorem ipsum dolor sit amet, '.repeat(CORPUS_BODY_LIMIT / 28).slice(0, CORPUS_BODY_LIMIT - 1024))),
    },
    // One unbroken word: quadratic for a naive BPE on count_tokens / input_tokens (estimated).
    { name: 'a huge unbroken word just under the size limit', body: json(withString(route, 'x'.repeat(CORPUS_BODY_LIMIT - 1024))) },
    // Passthrough bodies are the provider's business (uploads may be large), so only the gateway's own routes promise 413.
    { name: 'a body over the size limit', body: json(withString(route, 'x'.repeat(CORPUS_BODY_LIMIT + 16))), status: route.name === 'passthrough' ? undefined : 413 },
    { name: 'metadata with U+0000 and CR/LF', body: json({ ...route.base, metadata: { 'k\u0000': 'v\r\n\u0000' } }) },
  ];
  // Item ids are stored (conversations, response input items), so those routes refuse bad ones; chat ignores message ids.
  const itemIdRefusal =
    (list === 'items' || (list === 'input' && route.name !== 'embeddings')) && route.name !== 'compact' && !route.name.includes('(native)')
      ? { status: 400, param: `${list}[0].id` }
      : {};
  if (list) {
    cases.push(
      { name: `${list} as a string of garbage`, body: json({ ...route.base, [list]: 42 }) },
      { name: `${list} as an object`, body: json({ ...route.base, [list]: { role: 'user' } }) },
      { name: `${list} holding a number and a null`, body: json({ ...route.base, [list]: [42, null] }) },
      { name: `${list} holding a nested array`, body: json({ ...route.base, [list]: [[[{ role: 'user', content: 'x' }]]] }) },
      { name: `${list} entry with a wrong-typed content`, body: json({ ...route.base, [list]: [{ type: 'message', role: 'user', content: 42 }] }) },
      { name: `${list} entry with a U+0000 id`, body: json({ ...route.base, [list]: [{ id: 'msg_\u0000', type: 'message', role: 'user', content: 'x' }] }), ...itemIdRefusal },
      { name: `${list} entry with a traversal id`, body: json({ ...route.base, [list]: [{ id: '../../x', type: 'message', role: 'user', content: 'x' }] }), ...itemIdRefusal },
      {
        name: `${list} entry with a 300-character id`,
        body: json({ ...route.base, [list]: [{ id: `msg_${'a'.repeat(300)}`, type: 'message', role: 'user', content: 'x' }] }),
        ...itemIdRefusal,
      },
    );
  }
  if (route.path(PLACEHOLDERS).startsWith('/v1/responses')) {
    for (const [field, value] of [
      ['previous_response_id', 'resp_\u0000'],
      ['previous_response_id', '../../admin'],
      ['previous_response_id', 42],
      ['conversation', 'conv_\u0000'],
      ['conversation', '..'],
      ['conversation', { id: 'conv_\u0000' }],
      ['conversation', 'conv_\r\nX-Injected: 1'],
    ] as const) {
      cases.push({ name: `${field} ${JSON.stringify(value)}`, body: json({ ...route.base, [field]: value }), status: 400, param: field });
    }
  }
  return cases;
}

/** Path ids that must never reach a query or a provider URL as they are: each is a 400 naming the param. */
const BAD_IDS = [
  '..',
  '%2e%2e',
  '.%2E',
  '%2e%2e%2fadmin',
  'x%5c..%5cadmin',
  'resp_%00',
  'conv_%00',
  'msg_%00',
  '%0d%0aX-Injected:%201',
  '%ef%bc%8e%ef%bc%8e',
  'x'.repeat(300),
  `conv_${'a'.repeat(200)}`,
];
/** Ids that are well-formed but name nothing, or cannot even be decoded: never a 5xx, status by route. */
const ODD_IDS = ['conv_unknown', 'resp_unknown', 'resp_%C0%AE', '%E9', '%'];

interface IdRoute {
  readonly name: string;
  readonly method: string;
  readonly path: (f: CorpusFixtures, id: string) => string;
  /** The param a bad id is reported under. */
  readonly param: string;
  readonly body?: string;
}

const ID_ROUTES: readonly IdRoute[] = [
  { name: 'GET response', param: 'response_id', method: 'GET', path: (_f, id) => `/v1/responses/${id}` },
  { name: 'DELETE response', param: 'response_id', method: 'DELETE', path: (_f, id) => `/v1/responses/${id}` },
  { name: 'cancel response', param: 'response_id', method: 'POST', path: (_f, id) => `/v1/responses/${id}/cancel` },
  { name: 'response input_items', param: 'response_id', method: 'GET', path: (_f, id) => `/v1/responses/${id}/input_items` },
  { name: 'response input_items after', param: 'after', method: 'GET', path: (f, id) => `/v1/responses/${f.responseId}/input_items?after=${id}` },
  { name: 'GET conversation', param: 'conversation_id', method: 'GET', path: (_f, id) => `/v1/conversations/${id}` },
  { name: 'update conversation', param: 'conversation_id', method: 'POST', path: (_f, id) => `/v1/conversations/${id}`, body: json({ metadata: { a: 'b' } }) },
  { name: 'DELETE conversation', param: 'conversation_id', method: 'DELETE', path: (_f, id) => `/v1/conversations/${id}` },
  { name: 'list items', param: 'conversation_id', method: 'GET', path: (_f, id) => `/v1/conversations/${id}/items` },
  { name: 'list items after', param: 'after', method: 'GET', path: (f, id) => `/v1/conversations/${f.conversationId}/items?after=${id}` },
  { name: 'create items', param: 'conversation_id', method: 'POST', path: (_f, id) => `/v1/conversations/${id}/items`, body: json({ items: ITEMS }) },
  { name: 'GET item', param: 'item_id', method: 'GET', path: (f, id) => `/v1/conversations/${f.conversationId}/items/${id}` },
  { name: 'DELETE item', param: 'item_id', method: 'DELETE', path: (f, id) => `/v1/conversations/${f.conversationId}/items/${id}` },
  { name: 'GET item of a bad conversation', param: 'conversation_id', method: 'GET', path: (f, id) => `/v1/conversations/${id}/items/${f.itemId}` },
];

const PASSTHROUGH_PATHS = [
  '/p/groq/..\\admin/keys',
  '/p/groq/v1%2f..%2fadmin',
  '/p/groq/v1/%c0%ae%c0%ae/admin',
  '/p/groq/v1/%00/models',
  '/p/%00/models',
  '/p/%E9/models',
  '/p/no-such-provider/v1/models',
  '/p/groq/v1/models?key=%00&api_key=x',
  '/p/groq/v1/models?%E9=1',
  '/p/groq/v1/models/%0d%0aX-Injected:%201',
];

/** Every case of the corpus; paths hold placeholders for the suite's fixtures (fillFixtures). */
export function badInputCases(): BadInputCase[] {
  const cases: BadInputCase[] = [];
  for (const route of BODY_ROUTES) {
    for (const entry of bodyCases(route))
      cases.push({ ...entry, name: `${route.name}: ${entry.name}`, method: route.method, path: route.path(PLACEHOLDERS), dialect: route.dialect });
  }
  for (const route of ID_ROUTES) {
    for (const id of BAD_IDS)
      cases.push({
        name: `${route.name}: id ${id.slice(0, 40)}`,
        method: route.method,
        path: route.path(PLACEHOLDERS, id),
        dialect: 'openai',
        body: route.body,
        status: 400,
        param: route.param,
      });
    for (const id of ODD_IDS) cases.push({ name: `${route.name}: id ${id}`, method: route.method, path: route.path(PLACEHOLDERS, id), dialect: 'openai', body: route.body });
  }
  for (const path of PASSTHROUGH_PATHS) cases.push({ name: `passthrough ${path}`, method: 'GET', path, dialect: 'openai' });
  for (const [name, value] of [
    ['latin-1 bytes', 'caf\u00e9'],
    ['a NUL-looking escape', '%00'],
    ['a long value', 'u'.repeat(3000)],
  ] as const) {
    const headers = { 'x-switchyard-user-path': value, 'x-request-id': value, 'idempotency-key': value, 'anthropic-version': value };
    cases.push({
      name: `chat: header values with ${name}`,
      method: 'POST',
      path: '/v1/chat/completions',
      dialect: 'openai',
      body: json({ model: CHAT_MODEL, messages: USER }),
      headers,
    });
    cases.push({
      name: `messages: header values with ${name}`,
      method: 'POST',
      path: '/v1/messages',
      dialect: 'anthropic',
      body: json({ model: CHAT_MODEL, max_tokens: 16, messages: USER }),
      headers,
    });
    cases.push({
      name: `passthrough: header values with ${name}`,
      method: 'POST',
      path: '/p/groq/v1/chat/completions',
      dialect: 'openai',
      body: json({ model: 'llama-3.3-70b', messages: USER }),
      headers,
    });
  }
  return cases;
}
