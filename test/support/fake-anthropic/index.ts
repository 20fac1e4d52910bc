export { FakeAnthropicUpstream } from './fake-anthropic-upstream';
export type { AnthropicBehaviour, AnthropicOk, FakeAnthropicOptions, FakeBlock, FakeUsage, RecordedAnthropicRequest } from './anthropic-behaviour';
export { anthropicError, defaultAnthropicError, type AnthropicErrorEnvelope } from './anthropic-error-bodies';
export { DEFAULT_ANTHROPIC_CONTENT, promptTokensOf } from './message-builder';
