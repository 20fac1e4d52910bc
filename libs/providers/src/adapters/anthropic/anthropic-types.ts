/** A content block of the Messages API (text, image, document, tool_use, tool_result …). */
export type AnthropicBlock = { type: string } & Record<string, unknown>;

/** One turn of a Messages API request. */
export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: string | AnthropicBlock[];
}

/** `usage` of a message, as Anthropic reports it (all fields optional when read from the wire). */
export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** A response `message` object (non-streaming body, or the one in `message_start`). */
export interface AnthropicMessage {
  id?: string;
  type?: string;
  model?: string;
  content?: AnthropicBlock[];
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}
