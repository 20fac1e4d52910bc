import { GatewayError } from '@app/core';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { ollamaEmbedRequest, ollamaEmbedResult } from './ollama-embeddings';

describe('Ollama embeddings', () => {
  it('sends {model, input} and answers the OpenAI shape with prompt_eval_count as usage', () => {
    const request = ollamaEmbedRequest({ body: { model: 'nomic-embed-text', input: 'hello', encoding_format: 'float' } }, 'ollama');
    expect(JSON.parse(request.body)).toEqual({ model: 'nomic-embed-text', input: ['hello'] });
    const result = ollamaEmbedResult(request, Buffer.from(JSON.stringify({ model: 'nomic-embed-text', embeddings: [[0.1, 0.2]], prompt_eval_count: 3 })), 'ollama');
    expect(JSON.parse(result.body.toString())).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
      model: 'nomic-embed-text',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it('encodes base64 as little-endian float32, as OpenAI does', () => {
    const request = ollamaEmbedRequest({ body: { model: 'm', input: ['a'], encoding_format: 'base64' } }, 'ollama');
    const result = JSON.parse(ollamaEmbedResult(request, Buffer.from('{"embeddings":[[1.5,-2]]}'), 'ollama').body.toString());
    const bytes = Buffer.from(result.data[0].embedding, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([1.5, -2]);
  });

  it('refuses token inputs and unknown encodings by name', () => {
    expect(() => ollamaEmbedRequest({ body: { model: 'm', input: [1, 2, 3] } }, 'ollama')).toThrow(expect.objectContaining({ param: 'input' }));
    expect(() => ollamaEmbedRequest({ body: { model: 'm', input: 'x', encoding_format: 'int8' } }, 'ollama')).toThrow(GatewayError);
  });

  it('fails on an answer with missing vectors', () => {
    const request = ollamaEmbedRequest({ body: { model: 'm', input: ['a', 'b'] } }, 'ollama');
    expect(() => ollamaEmbedResult(request, Buffer.from('{"embeddings":[[1]]}'), 'ollama')).toThrow(UpstreamFailure);
  });
});
