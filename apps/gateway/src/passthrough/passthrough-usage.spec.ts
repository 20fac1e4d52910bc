import { ANTHROPIC_COMPLETE, OPENAI_COMPLETE, RESPONSES_COMPLETE } from '../../../../test/support/real-world-sse';
import { PassthroughUsageObserver } from './passthrough-usage';

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' };

function observe(headers: Record<string, string>, chunks: string[], status = 200) {
  const observer = PassthroughUsageObserver.forAnswer(status, headers);
  for (const chunk of chunks) observer?.push(Buffer.from(chunk));
  return observer?.finish();
}

describe('PassthroughUsageObserver', () => {
  it('reads an OpenAI chat completion split across chunks', () => {
    const body = JSON.stringify({ object: 'chat.completion', usage: { prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 2 } } });
    expect(observe(JSON_HEADERS, [body.slice(0, 17), body.slice(17)])).toEqual({ inputTokens: 10, outputTokens: 4, cachedTokens: 2, reasoningTokens: 0 });
  });

  it('reads an Anthropic message, counting cache reads and writes as input', () => {
    const body = JSON.stringify({ type: 'message', usage: { input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 8 } });
    expect(observe(JSON_HEADERS, [body])).toEqual({ inputTokens: 125, outputTokens: 8, cachedTokens: 100, reasoningTokens: 0, cacheWriteTokens: 20 });
  });

  it('reads the Responses API completed event from a stream, events split mid-line', () => {
    const stream =
      'event: response.created\ndata: {"type":"response.created","response":{"usage":null}}\n\n' +
      'event: response.completed\ndata: {"type":"response.completed","response":{"usage":{"input_tokens":7,"output_tokens":3,"input_tokens_details":{"cached_tokens":1},"output_tokens_details":{"reasoning_tokens":2}}}}\n\n';
    expect(observe(SSE_HEADERS, [stream.slice(0, 40), stream.slice(40, 120), stream.slice(120)])).toEqual({ inputTokens: 7, outputTokens: 3, cachedTokens: 1, reasoningTokens: 2 });
  });

  it('merges Anthropic stream usage from message_start and message_delta', () => {
    const stream =
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":9,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":40}}\n\n';
    expect(observe(SSE_HEADERS, [stream])).toEqual({ inputTokens: 9, outputTokens: 40, cachedTokens: 0, reasoningTokens: 0 });
  });

  it('does not observe error answers, compressed bodies or other content types', () => {
    expect(PassthroughUsageObserver.forAnswer(400, JSON_HEADERS)).toBeUndefined();
    expect(PassthroughUsageObserver.forAnswer(200, { ...JSON_HEADERS, 'content-encoding': 'gzip' })).toBeUndefined();
    expect(PassthroughUsageObserver.forAnswer(200, { 'content-type': 'audio/mpeg' })).toBeUndefined();
  });

  it('survives bodies that are not JSON and streams without usage', () => {
    expect(observe(JSON_HEADERS, ['{not json'])).toBeUndefined();
    expect(observe(SSE_HEADERS, ['data: {"usage":{broken\n\n', 'data: [DONE]\n\n'])).toBeUndefined();
  });

  describe.each([...OPENAI_COMPLETE, ...ANTHROPIC_COMPLETE, ...RESPONSES_COMPLETE])('a stream that $name', ({ body, expected }) => {
    it('is metered, the last event included when it has no blank line after it', () => {
      const cut = Array.from({ length: Math.ceil(body.length / 11) }, (_, index) => body.slice(index * 11, index * 11 + 11));
      expect(observe(SSE_HEADERS, cut)).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: expected.outputTokens });
    });
  });
});
