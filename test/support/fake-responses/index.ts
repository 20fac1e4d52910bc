export { FakeResponsesUpstream } from './fake-responses-upstream';
export { NATIVE_TEXT } from './response-builder';
