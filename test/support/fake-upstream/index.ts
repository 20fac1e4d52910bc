export { FakeOpenAIUpstream } from './fake-openai-upstream';
export { DEFAULT_CONTENT, TOOL_ARGUMENTS, splitContent } from './chat-completion-builder';
export { type OpenAIErrorEnvelope } from './openai-errors';
