/**
 * Anthropic `stop_reason` → OpenAI `finish_reason`. A forced response_format tool is the answer
 * itself, so its `tool_use` stop is a normal `stop`. `pause_turn` (a server tool paused a long
 * turn) ends this answer like `stop`.
 */
export function toFinishReason(stopReason: string | null | undefined, answeredWithJsonTool: boolean): string {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return answeredWithJsonTool ? 'stop' : 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
