import { GatewayError } from '@app/core';
import type { EmbeddingsCall } from '../provider-adapter';
import { type EmbeddingEncoding, isVector, readEncoding, readTextInputs } from '../openai/embeddings-shape';

/** One InvokeModel call of an embeddings request, and how to read its answer. */
export interface InvokeCall {
  readonly body: string;
  /** Vectors and token count from the parsed answer (and its token-count header); undefined when unreadable. */
  read(answer: Record<string, unknown>, headerTokens: number): { vectors: number[][]; tokens: number } | undefined;
}

export interface BedrockEmbeddingPlan {
  readonly calls: InvokeCall[];
  readonly encoding: EmbeddingEncoding;
}

// Model ids may carry a cross-region inference profile prefix (`us.cohere.embed-v4:0`) or be ARNs.
const TITAN_TEXT = /(^|[./])amazon\.titan-embed-(text|g1-text)/;
const COHERE = /(^|[./])cohere\.embed-/;

/**
 * Plans InvokeModel calls for an embeddings request: Titan text models embed one text per call
 * (`{inputText}` → `{embedding, inputTextTokenCount}`); Cohere models take the batch
 * (`{texts, input_type}` → `{embeddings}`, tokens from Bedrock's input-token-count header).
 */
export function planBedrockEmbeddings(call: EmbeddingsCall, provider: string): BedrockEmbeddingPlan {
  const model = String(call.body.model);
  const isTitan = TITAN_TEXT.test(model);
  if (!isTitan && !COHERE.test(model)) {
    throw GatewayError.invalidRequest(`Model '${model}' is not an embeddings model the gateway can call on Amazon Bedrock (Titan text or Cohere embed).`, 'model');
  }
  const inputs = readTextInputs(call.body, provider);
  const encoding = readEncoding(call.body);
  if (isTitan) return { encoding, calls: inputs.map((text) => titanCall(text, call.body.dimensions)) };
  return { encoding, calls: [cohereCall(inputs)] };
}

function titanCall(text: string, dimensions: unknown): InvokeCall {
  const body: Record<string, unknown> = { inputText: text };
  // Titan v2 takes `dimensions` (256, 512, 1024); v1 rejects it, and Bedrock's 400 then says so.
  if (typeof dimensions === 'number') body.dimensions = dimensions;
  return {
    body: JSON.stringify(body),
    read: (answer) => (isVector(answer.embedding) ? { vectors: [answer.embedding], tokens: numberOr0(answer.inputTextTokenCount) } : undefined),
  };
}

function cohereCall(texts: string[]): InvokeCall {
  return {
    body: JSON.stringify({ texts, input_type: 'search_document' }),
    read: (answer, headerTokens) => {
      // v3 answers `embeddings: [[…]]`; with embedding types (v4) it is `embeddings: {float: [[…]]}`.
      const raw = answer.embeddings;
      const vectors = Array.isArray(raw) ? raw : (raw as { float?: unknown } | undefined)?.float;
      if (!Array.isArray(vectors) || vectors.length !== texts.length || !vectors.every(isVector)) return undefined;
      return { vectors, tokens: headerTokens };
    },
  };
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
