import type { UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { openAIJsonResult } from './openai-result';

function relay(text: string) {
  const http = { readBody: async () => Buffer.from(text) } as unknown as UpstreamHttp;
  const response = { status: 200, headers: {}, body: undefined } as unknown as UpstreamHttpResponse;
  return openAIJsonResult(http, 'openai', response);
}

describe('openAIJsonResult', () => {
  it('relays the bytes untouched with the usage read from them', async () => {
    const text = ' {"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n';
    const result = await relay(text);
    expect(result.body.toString()).toBe(text);
    expect(result.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it('reads usage wherever it is, and none when absent', async () => {
    expect((await relay('{"usage":{"prompt_tokens":1},"id":"x","data":[{"a":1}]}')).usage).toEqual({ prompt_tokens: 1 });
    expect((await relay('{"id":"x"}')).usage).toBeUndefined();
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html><html><body>proxy</body></html>'],
    ['nothing', ''],
    ['blank lines', ' \r\n'],
    ['cut-off JSON', '{"id":"chatcmpl-1","choices":['],
    ['braced garbage', '{"id":"chatcmpl-1", oops}'],
    ['a JSON array', '[1,2]'],
  ])("rejects %s as the upstream's protocol failure", async (_what, text) => {
    const failure = await relay(text).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure).toMatchObject({ reason: 'protocol', kind: 'upstream_error', status: 502 });
  });
});
