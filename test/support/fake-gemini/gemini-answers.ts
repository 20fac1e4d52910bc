import type { FakeUsage, GeminiFakeBehaviour } from './fake-gemini-behaviour';

type OkBehaviour = Extract<GeminiFakeBehaviour, { kind: 'ok' }>;

export const DEFAULT_GEMINI_TEXT = 'Hello! This is a reply from the fake Gemini upstream.';
export const FAKE_MODEL_VERSION_SUFFIX = '-fake-001';

let sequence = 0;

/** Deterministic stand-in for a tokenizer: 4 characters per token, at least 1. */
export function fakeTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

/** Characters of every text part in `contents` and `systemInstruction`: what promptTokenCount is computed from. */
export function promptChars(body: any): number {
  let chars = 0;
  const contents = [...(Array.isArray(body?.contents) ? body.contents : []), ...(body?.systemInstruction ? [body.systemInstruction] : [])];
  for (const content of contents) for (const part of content?.parts ?? []) if (typeof part?.text === 'string') chars += part.text.length;
  return chars;
}

interface Answer {
  /** Parts in generation order: thought, text, function calls. */
  parts: any[];
  finishReason: string;
  usage: Required<Omit<FakeUsage, 'cachedContentTokenCount'>> & { cachedContentTokenCount?: number };
}

function answerFor(body: any, ok: OkBehaviour): Answer {
  const parts: any[] = [];
  const includeThoughts = body?.generationConfig?.thinkingConfig?.includeThoughts === true;
  if (ok.thoughts && includeThoughts) parts.push({ text: ok.thoughts, thought: true });
  const text = ok.text ?? (ok.functionCalls ? undefined : DEFAULT_GEMINI_TEXT);
  if (text !== undefined) parts.push({ text });
  for (const call of ok.functionCalls ?? []) {
    const functionCall = call.id ? { id: call.id, name: call.name, args: call.args ?? {} } : { name: call.name, args: call.args ?? {} };
    parts.push(call.thoughtSignature ? { functionCall, thoughtSignature: call.thoughtSignature } : { functionCall });
  }
  const outputChars = (text?.length ?? 0) + (ok.functionCalls ?? []).reduce((sum, call) => sum + call.name.length + JSON.stringify(call.args ?? {}).length, 0);
  const usage = {
    promptTokenCount: ok.usage?.promptTokenCount ?? fakeTokens(promptChars(body)),
    candidatesTokenCount: ok.usage?.candidatesTokenCount ?? fakeTokens(outputChars),
    thoughtsTokenCount: ok.usage?.thoughtsTokenCount ?? (ok.thoughts ? fakeTokens(ok.thoughts.length) : 0),
    cachedContentTokenCount: ok.usage?.cachedContentTokenCount,
  };
  return { parts, finishReason: ok.finishReason ?? 'STOP', usage };
}

function usageMetadata(usage: Answer['usage'], candidates: number): Record<string, number> {
  const metadata: Record<string, number> = { promptTokenCount: usage.promptTokenCount, candidatesTokenCount: candidates };
  if (usage.cachedContentTokenCount !== undefined) metadata.cachedContentTokenCount = usage.cachedContentTokenCount;
  metadata.totalTokenCount = usage.promptTokenCount + candidates + usage.thoughtsTokenCount;
  if (usage.thoughtsTokenCount > 0) metadata.thoughtsTokenCount = usage.thoughtsTokenCount;
  return metadata;
}

function envelope(model: string, candidate: object | undefined, usage: Record<string, number>): Record<string, unknown> {
  const body: Record<string, unknown> = candidate ? { candidates: [candidate] } : {};
  body.usageMetadata = usage;
  body.modelVersion = model + FAKE_MODEL_VERSION_SUFFIX;
  body.responseId = `fake-gemini-${(++sequence).toString(36)}`;
  return body;
}

/** The generateContent answer for an `ok` behaviour. */
export function generateContentBody(model: string, body: any, ok: OkBehaviour): Record<string, unknown> {
  const answer = answerFor(body, ok);
  const candidate = { content: { parts: answer.parts, role: 'model' }, finishReason: answer.finishReason, index: 0 };
  return envelope(model, candidate, usageMetadata(answer.usage, answer.usage.candidatesTokenCount));
}

/**
 * The SSE events of streamGenerateContent for an `ok` behaviour, in Gemini's order: thoughts, text
 * a few words per event, each function call whole in its own event, and the finishReason on the
 * last event. Every event carries the usage so far; the last one the totals.
 */
export function streamBodies(model: string, body: any, ok: OkBehaviour): Array<Record<string, unknown>> {
  const answer = answerFor(body, ok);
  const pieces: any[] = [];
  for (const part of answer.parts) {
    if (typeof part.text === 'string' && !part.thought) pieces.push(...splitWords(part.text).map((text) => ({ text })));
    else pieces.push(part);
  }
  if (pieces.length === 0) pieces.push({ text: '' });
  return pieces.map((part, index) => {
    const last = index === pieces.length - 1;
    const candidate: Record<string, unknown> = { content: { parts: [part], role: 'model' }, index: 0 };
    if (last) candidate.finishReason = answer.finishReason;
    const soFar = last ? answer.usage.candidatesTokenCount : Math.min(answer.usage.candidatesTokenCount, index + 1);
    return envelope(model, candidate, usageMetadata(answer.usage, soFar));
  });
}

export function blockedBody(model: string, body: any, blockReason: string): Record<string, unknown> {
  const prompt = fakeTokens(promptChars(body));
  const result = envelope(model, undefined, { promptTokenCount: prompt, totalTokenCount: prompt });
  return { promptFeedback: { blockReason }, ...result };
}

/** Two words per event, whitespace kept, so the deltas join back to the exact text. */
function splitWords(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [text];
  const pieces: string[] = [];
  for (let index = 0; index < words.length; index += 2) pieces.push(words.slice(index, index + 2).join(''));
  return pieces;
}

/** A deterministic embedding: tests recompute it from the text to check order and values. */
export function fakeEmbedding(text: string, dimensions = 8): number[] {
  return Array.from({ length: dimensions }, (_, index) => Number((((text.length * 31 + index * 7) % 97) / 97).toFixed(6)));
}

export function modelResource(model: string): Record<string, unknown> {
  const embedding = model.includes('embedding');
  const image = model.startsWith('imagen');
  return {
    name: `models/${model}`,
    version: '001',
    displayName: model,
    description: `Fake ${model}`,
    inputTokenLimit: embedding ? 2048 : 1_048_576,
    outputTokenLimit: embedding ? 1 : 65_536,
    supportedGenerationMethods: image ? ['predict'] : embedding ? ['embedContent', 'batchEmbedContents'] : ['generateContent', 'countTokens', 'createCachedContent'],
  };
}
