export { FakeGeminiUpstream } from './fake-gemini-upstream';
export type { FakeFunctionCall, FakeGeminiOptions, FakeUsage, GeminiFakeBehaviour, GeminiRecordedRequest } from './fake-gemini-behaviour';
export { DEFAULT_GEMINI_TEXT, fakeEmbedding, fakeTokens, promptChars } from './gemini-answers';
export { defaultGeminiError, geminiError } from './gemini-error-bodies';
export { checkGeminiBody } from './gemini-wire-check';
export { CALL_ID, CHAT_FIXTURES, type ChatContractFixture, ERROR_FIXTURES, ID } from './contract-fixtures';
