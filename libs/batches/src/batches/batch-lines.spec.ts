import { GatewayError } from '@app/core';
import { MAX_BATCH_LINES } from './batch-limits';
import { jsonlLines, parseBatchInput } from './batch-lines';

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of source) lines.push(line);
  return lines;
}

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

const ok = (customId: string) => JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/embeddings', body: { model: 'm', input: 'x' } });

describe('jsonlLines', () => {
  it('splits lines across chunk boundaries, skips blank lines and keeps a last line without newline', async () => {
    expect(await collect(jsonlLines(chunks('{"a":', '1}\n\n{"b":2}\r\n', '{"c":3}')))).toEqual(['{"a":1}', '{"b":2}\r', '{"c":3}']);
  });

  it('refuses more lines than a batch may hold, naming the limit', async () => {
    const many = `${'{}\n'.repeat(MAX_BATCH_LINES)}{}`;
    const error = await collect(jsonlLines(chunks(many))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toContain(String(MAX_BATCH_LINES));
    expect((error as GatewayError).status).toBe(400);
  });
});

describe('parseBatchInput', () => {
  it('keeps good lines in order with their line numbers', async () => {
    const parsed = await parseBatchInput([ok('a'), ok('b')], '/v1/embeddings');
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines.map((line) => [line.position, line.line, line.customId])).toEqual([
      [0, 1, 'a'],
      [1, 2, 'b'],
    ]);
  });

  it('reports every bad line with its 1-based number, code and param', async () => {
    const parsed = await parseBatchInput(
      [
        '{oops',
        ok('a'),
        ok('a'),
        { custom_id: 'b', method: 'GET', url: '/v1/embeddings', body: { model: 'm' } },
        { custom_id: 'c', url: '/v1/chat/completions', body: { model: 'm' } },
        { custom_id: 'd', url: '/v1/embeddings', body: { input: 'x' } },
        { custom_id: 'e', url: '/v1/embeddings', body: { model: 'm', stream: true } },
        { url: '/v1/embeddings', body: { model: 'm' } },
      ],
      '/v1/embeddings',
    );
    expect(parsed.errors.map((error) => [error.line, error.code, error.param])).toEqual([
      [1, 'invalid_json_line', null],
      [3, 'duplicate_custom_id', 'custom_id'],
      [4, 'invalid_method', 'method'],
      [5, 'mismatched_endpoint', 'url'],
      [6, 'missing_required_parameter', 'body.model'],
      [7, 'invalid_value', 'body.stream'],
      [8, 'missing_required_parameter', 'custom_id'],
    ]);
    expect(parsed.lines.map((line) => line.customId)).toEqual(['a']);
  });

  it('fails an empty input', async () => {
    expect((await parseBatchInput([], '/v1/embeddings')).errors).toEqual([expect.objectContaining({ code: 'empty_file', line: null })]);
  });
});
