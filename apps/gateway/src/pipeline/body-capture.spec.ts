import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { capturedHeaders, captureText, ResponseBodyTee } from './body-capture';

describe('audit body capture', () => {
  it('redacts credential fields by name and key shapes anywhere in the text', () => {
    const text = JSON.stringify({ model: 'gpt-4o', api_key: 'plain-value', nested: { password: 'hunter2', note: `use sk-proj-${'x'.repeat(20)}` } });
    const { text: kept, truncated } = captureText(text, 10_000);
    expect(truncated).toBe(false);
    expect(JSON.parse(kept)).toEqual({ model: 'gpt-4o', api_key: '[redacted]', nested: { password: '[redacted]', note: 'use [redacted]' } });
  });

  it('cuts at the byte limit and says so', () => {
    const captured = captureText('é'.repeat(100), 51);
    expect(captured.truncated).toBe(true);
    expect(Buffer.byteLength(captured.text)).toBeLessThanOrEqual(54);
  });

  it('drops credential headers and joins repeated ones', () => {
    expect(capturedHeaders({ authorization: 'Bearer abcdefghijkl', 'x-api-key': 'k', cookie: 'c', accept: 'a', 'x-list': ['1', '2'] })).toEqual({ accept: 'a', 'x-list': '1, 2' });
  });

  it('passes every write through and keeps only the head of the response', () => {
    const written: string[] = [];
    const response = Object.assign(new PassThrough(), {
      write(chunk: string) {
        written.push(chunk);
        return true;
      },
      end(chunk?: string) {
        if (chunk) written.push(chunk);
        return this;
      },
    }) as unknown as ServerResponse;
    const tee = new ResponseBodyTee(response, 8);
    response.write('data: 1\n\n');
    response.write(Buffer.from('data: 2\n\n'));
    response.end('done');
    expect(written.join('')).toBe('data: 1\n\ndata: 2\n\ndone');
    expect(tee.body()).toEqual({ text: 'data: 1\n', truncated: true });
  });
});
