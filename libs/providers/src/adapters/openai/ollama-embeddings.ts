import type { EmbeddingsCall, JsonResult } from '../provider-adapter';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { embeddingsResult, type EmbeddingEncoding, isVector, readEncoding, readTextInputs } from './embeddings-shape';

/** A prepared call to Ollama's native `POST /api/embed`, and how to read its answer. */
export interface OllamaEmbedRequest {
  readonly body: string;
  readonly model: string;
  readonly encoding: EmbeddingEncoding;
  /** Number of inputs, so an answer with missing vectors is caught. */
  readonly count: number;
}

/**
 * Ollama's OpenAI-compatible surface has embeddings too, but its native `/api/embed` is the one
 * every Ollama version serves and the one that reports `prompt_eval_count` for metering.
 */
export function ollamaEmbedRequest(call: EmbeddingsCall, provider: string): OllamaEmbedRequest {
  const input = readTextInputs(call.body, provider);
  const encoding = readEncoding(call.body);
  const model = String(call.body.model);
  const body: Record<string, unknown> = { model, input };
  if (typeof call.body.dimensions === 'number') body.dimensions = call.body.dimensions;
  return { body: JSON.stringify(body), model, encoding, count: input.length };
}

/** Translates `{embeddings, prompt_eval_count}` to the canonical embeddings shape. */
export function ollamaEmbedResult(request: OllamaEmbedRequest, raw: Buffer, provider: string): JsonResult {
  let parsed: { embeddings?: unknown; prompt_eval_count?: unknown };
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    parsed = {};
  }
  const vectors = parsed.embeddings;
  if (!Array.isArray(vectors) || vectors.length !== request.count || !vectors.every(isVector)) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' sent an embeddings answer the gateway could not read.`);
  }
  const tokens = typeof parsed.prompt_eval_count === 'number' ? parsed.prompt_eval_count : 0;
  return embeddingsResult(request.model, vectors, tokens, request.encoding);
}
