export { FakeBedrock, type FakeBedrockOptions } from './fake-bedrock';
export { type BedrockBehaviour, type BedrockRecordedRequest, DEFAULT_TEXT, TOOL_INPUT } from './bedrock-behaviour';
export { type AwsTestCredentials } from './sigv4-verifier';
