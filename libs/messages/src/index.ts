export { MessagesEngineModule } from './messages-engine.module';
export { MessagesJsonRunner } from './messages-json-runner';
export { readRoutingFields, requireMessages, requireMessagesFields } from './messages-request';
export { isNativeTarget, withUpstreamStatus } from './native-target';
export { type ChatRequestPlan, toChatRequest } from './translate/chat-request';
export { toAnthropicMessage } from './translate/message-response';
export { MessageStreamTranslator } from './translate/message-stream-translator';
