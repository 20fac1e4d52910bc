export { FakeGeminiUpstream } from './fake-gemini-upstream';
export { DEFAULT_GEMINI_TEXT, fakeEmbedding, fakeTokens, promptChars } from './gemini-answers';
export { CALL_ID, CHAT_FIXTURES, ERROR_FIXTURES, ID } from './contract-fixtures';
