import { GatewayError } from '@app/core';
import { modelResource } from './gemini-request';

/** The Gemini call an OpenAI embeddings request becomes: one `:embedContent`, or one `:batchEmbedContents`. */
export interface GeminiEmbeddingsCall {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly inputs: readonly string[];
  readonly base64: boolean;
}

/** OpenAI embeddings body → Gemini request. Token-id inputs cannot be translated (Gemini embeds text). */
export function toGeminiEmbeddings(body: Record<string, unknown>): GeminiEmbeddingsCall {
  const resource = modelResource(body.model);
  const { input, dimensions } = body;
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') throw GatewayError.invalidRequest("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  const options = dimensions === undefined || dimensions === null ? {} : { outputDimensionality: dimensions };
  if (typeof input === 'string') {
    return { path: `/v1beta/${resource}:embedContent`, body: { content: textContent(input), ...options }, inputs: [input], base64: format === 'base64' };
  }
  if (!Array.isArray(input) || input.length === 0 || !input.every((item) => typeof item === 'string')) {
    throw GatewayError.invalidRequest("Gemini embeds text only: 'input' must be a string or an array of strings (token ids are not supported).", 'input');
  }
  const model = decodeURIComponent(resource);
  const requests = input.map((text) => ({ model, content: textContent(text), ...options }));
  return { path: `/v1beta/${resource}:batchEmbedContents`, body: { requests }, inputs: input, base64: format === 'base64' };
}

/**
 * Gemini answer → OpenAI embeddings list. Gemini reports no token counts for embeddings, so
 * `usage` is an estimate (4 characters per token, the usual rule of thumb for English text):
 * good enough for metering and budgets, not an exact bill.
 */
export function embeddingsFromGemini(call: GeminiEmbeddingsCall, response: Record<string, any>, model: string): Record<string, unknown> {
  const vectors: unknown[] = response.embeddings ?? (response.embedding ? [response.embedding] : []);
  if (vectors.length !== call.inputs.length || !vectors.every((vector: any) => Array.isArray(vector?.values))) {
    throw new Error('embedding count or shape does not match the request');
  }
  const data = vectors.map((vector: any, index) => ({
    object: 'embedding',
    index,
    embedding: call.base64 ? toBase64(vector.values as number[]) : vector.values,
  }));
  const tokens = call.inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

function textContent(text: string): { parts: Array<{ text: string }> } {
  return { parts: [{ text }] };
}

/** OpenAI's base64 encoding: little-endian float32 values. */
function toBase64(values: number[]): string {
  const buffer = Buffer.allocUnsafe(values.length * 4);
  values.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer.toString('base64');
}
