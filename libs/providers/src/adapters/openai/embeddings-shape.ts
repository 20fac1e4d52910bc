import { GatewayError } from '@app/core';
import type { JsonResult } from '../provider-adapter';

/** How the client wants vectors: JSON floats, or base64 of little-endian float32 (the openai SDK's default). */
export type EmbeddingEncoding = 'float' | 'base64';

/**
 * Reads `input` of an embeddings request for an upstream that only embeds text: a string or a
 * non-empty array of strings. Token arrays cannot be translated, so they are refused by name.
 */
export function readTextInputs(body: Record<string, unknown>, provider: string): string[] {
  const input = body.input;
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input;
  if (Array.isArray(input) && input.length > 0) {
    throw GatewayError.invalidRequest(`Provider '${provider}' embeds text only: 'input' must be a string or an array of strings, not tokens.`, 'input');
  }
  throw GatewayError.invalidRequest("'input' must be a non-empty string or array of strings.", 'input');
}

export function readEncoding(body: Record<string, unknown>): EmbeddingEncoding {
  const format = body.encoding_format;
  if (format === undefined || format === null || format === 'float') return 'float';
  if (format === 'base64') return 'base64';
  throw GatewayError.invalidRequest("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
}

function encodeVector(vector: readonly number[], encoding: EmbeddingEncoding): number[] | string {
  if (encoding === 'float') return vector as number[];
  const floats = new Float32Array(vector);
  // Float32Array uses the platform's byte order; every platform Node supports is little-endian, as OpenAI's base64 is.
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** Builds the canonical `/v1/embeddings` answer from vectors in input order. */
export function embeddingsResult(model: string, vectors: readonly (readonly number[])[], promptTokens: number, encoding: EmbeddingEncoding): JsonResult {
  const body = {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: encodeVector(vector, encoding) })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  return { kind: 'json', status: 200, body: Buffer.from(JSON.stringify(body)), usage: body.usage };
}

/** True for an array of finite numbers (what every upstream calls a vector). */
export function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}
