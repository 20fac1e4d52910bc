export { FakeOpenAIUpstream } from './fake-openai-upstream';
export type { FakeBehaviour, FakeUpstreamOptions, OkBehaviour, RecordedRequest } from './fake-behaviour';
export { DEFAULT_CONTENT, TOOL_ARGUMENTS, splitContent } from './chat-completion-builder';
export { type OpenAIErrorEnvelope, defaultErrorFor } from './openai-errors';
