import { canonicalBody, cacheKey } from './cache-key';

const parts = (body: Record<string, unknown>, extra: Partial<Parameters<typeof cacheKey>[0]> = {}) => ({
  scope: 'key:a',
  route: '/v1/chat/completions',
  target: 'openai/gpt-4o-mini',
  body,
  ...extra,
});
const base = { model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'hi' }] };

describe('cacheKey', () => {
  it('is the sha256 of the parts and the canonical body, so entries stored by earlier versions still match', () => {
    const canonical = '{"messages":[{"content":"hi","role":"user"}],"model":"gpt-4o-mini","temperature":0}';
    expect(canonicalBody(base)).toBe(canonical);
    expect(cacheKey(parts(base))).toBe('fa2abdc9c9d515b37e9a7b1c1c08f32a47b74155c4a915b24b10653004da80fe');
  });

  it('ignores the order of object keys at every depth', () => {
    const reordered = { messages: [{ content: 'hi', role: 'user' }], temperature: 0, model: 'gpt-4o-mini' };
    expect(cacheKey(parts(reordered))).toBe(cacheKey(parts(base)));
  });

  it('ignores user, metadata, stream and stream_options', () => {
    const decorated = { ...base, user: 'u1', metadata: { trace: 'x' }, stream: true, stream_options: { include_usage: true } };
    expect(cacheKey(parts(decorated))).toBe(cacheKey(parts(base)));
  });

  it.each([
    ['temperature', { ...base, temperature: 0.5 }],
    ['tools', { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] }],
    ['a system message', { ...base, messages: [{ role: 'system', content: 'be brief' }, ...base.messages] }],
    ['max_tokens', { ...base, max_tokens: 5 }],
    [
      'the order of messages',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ].reverse(),
      },
    ],
  ])('changes with %s', (_name, changed) => {
    expect(cacheKey(parts(changed))).not.toBe(cacheKey(parts(base)));
  });

  it('changes with the scope, the route and the resolved target', () => {
    const key = cacheKey(parts(base));
    expect(cacheKey(parts(base, { scope: 'key:b' }))).not.toBe(key);
    expect(cacheKey(parts(base, { scope: 'shared' }))).not.toBe(key);
    expect(cacheKey(parts(base, { route: '/v1/responses' }))).not.toBe(key);
    expect(cacheKey(parts(base, { target: 'azure/gpt-4o-mini' }))).not.toBe(key);
  });

  it('writes canonical JSON: sorted keys, undefined fields dropped, arrays in order', () => {
    expect(canonicalBody({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: null }, stream: true })).toBe('{"a":{"c":null,"d":[2,{"f":1}]},"b":1}');
  });

  it('orders keys as a plain sort() does, whatever their number, case or script', () => {
    const names = ['zeta', 'Alpha', 'alpha', '_x', '10', '9', '2', 'é', 'e', '😀', 'ﬀ', 'tool_choice', 'tools', 'top_p', 'temperature', 'a'.repeat(3), 'aa'];
    const body = Object.fromEntries([...names].reverse().map((name, index) => [name, index]));
    const expected =
      '{' +
      Object.keys(body)
        .sort()
        .map((name) => `${JSON.stringify(name)}:${body[name]}`)
        .join(',') +
      '}';
    expect(canonicalBody(body)).toBe(expected);
    expect(canonicalBody({ nested: body })).toBe(`{"nested":${expected}}`);
  });
});
