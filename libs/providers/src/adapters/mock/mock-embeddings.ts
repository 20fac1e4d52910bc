import { createHash } from 'node:crypto';
import { countTextTokens, GatewayError } from '@app/core';
import type { JsonResult } from '../provider-adapter';
import { embeddingsResult, readEncoding, readTextInputs } from '../openai/embeddings-shape';

/** text-embedding-3-small's size; `dimensions` asks for another, as OpenAI's v3 models allow. */
const DEFAULT_DIMENSIONS = 1536;
const MAX_DIMENSIONS = 3072;

/**
 * Deterministic embeddings: each text's vector is derived from its SHA-256 (same text → same
 * vector, across runs and machines), unit length like OpenAI's, and rounded to float32 so the
 * float and base64 encodings carry the very same numbers.
 */
export function mockEmbeddings(body: Record<string, unknown>, model: string, provider: string): JsonResult {
  const inputs = readTextInputs(body, provider);
  const encoding = readEncoding(body);
  const dimensions = readDimensions(body.dimensions);
  const vectors = inputs.map((text) => vectorOf(text, dimensions));
  const tokens = inputs.reduce((total, text) => total + countTextTokens(text, model), 0);
  return embeddingsResult(model, vectors, tokens, encoding);
}

function readDimensions(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_DIMENSIONS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_DIMENSIONS) return value;
  throw GatewayError.invalidRequest(`'dimensions' must be a whole number from 1 to ${MAX_DIMENSIONS}.`, 'dimensions');
}

function vectorOf(text: string, dimensions: number): number[] {
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const bytes = createHash('sha256').update(`${block}\u0000${text}`).digest();
    for (let at = 0; at < bytes.length && raw.length < dimensions; at += 4) raw.push(bytes.readUInt32LE(at) / 0xffffffff - 0.5);
  }
  const norm = Math.sqrt(raw.reduce((total, value) => total + value * value, 0)) || 1;
  return raw.map((value) => Math.fround(value / norm));
}
