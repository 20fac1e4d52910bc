export { FakeBedrock } from './fake-bedrock';
export { DEFAULT_TEXT, TOOL_INPUT } from './bedrock-behaviour';
