import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Documentation-only schemas (Swagger). The hot path does not validate with them: it checks the
// routing fields by hand and forwards the rest untouched (see chat-request.ts).

export class ChatMessageDto {
  @ApiProperty({ enum: ['system', 'developer', 'user', 'assistant', 'tool'] })
  role!: string;

  @ApiProperty({ description: 'Text, or an array of content parts (text, image_url, input_audio …)', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }] })
  content!: unknown;

  @ApiPropertyOptional({ description: 'assistant tool calls', type: 'array', items: { type: 'object' } })
  tool_calls?: unknown[];

  @ApiPropertyOptional({ description: 'for role=tool: the id of the call answered' })
  tool_call_id?: string;
}

export class ChatCompletionRequestDto {
  @ApiProperty({ example: 'openai/gpt-4o-mini', description: '`model`, `provider/model`, or an alias' })
  model!: string;

  @ApiProperty({ type: [ChatMessageDto] })
  messages!: ChatMessageDto[];

  @ApiPropertyOptional({ default: false, description: 'Stream chat.completion.chunk events over SSE' })
  stream?: boolean;

  @ApiPropertyOptional({ example: { include_usage: true }, description: 'include_usage adds a final usage-only chunk' })
  stream_options?: { include_usage?: boolean };

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'function tools' })
  tools?: unknown[];

  @ApiPropertyOptional() temperature?: number;
  @ApiPropertyOptional() max_tokens?: number;
  @ApiPropertyOptional() max_completion_tokens?: number;
}

export class UsageDto {
  @ApiProperty() prompt_tokens!: number;
  @ApiProperty() completion_tokens!: number;
  @ApiProperty() total_tokens!: number;
  @ApiPropertyOptional({ example: { cached_tokens: 0 } }) prompt_tokens_details?: { cached_tokens?: number };
  @ApiPropertyOptional({ example: { reasoning_tokens: 0 } }) completion_tokens_details?: { reasoning_tokens?: number };
}

export class ChatCompletionChoiceDto {
  @ApiProperty() index!: number;
  @ApiProperty({ type: ChatMessageDto }) message!: ChatMessageDto;
  @ApiProperty({ enum: ['stop', 'length', 'tool_calls', 'content_filter'] }) finish_reason!: string;
}

export class ChatCompletionDto {
  @ApiProperty({ example: 'chatcmpl-abc123' }) id!: string;
  @ApiProperty({ enum: ['chat.completion'] }) object!: 'chat.completion';
  @ApiProperty() created!: number;
  @ApiProperty() model!: string;
  @ApiProperty({ type: [ChatCompletionChoiceDto] }) choices!: ChatCompletionChoiceDto[];
  @ApiProperty({ type: UsageDto }) usage!: UsageDto;
}

export class ChatCompletionChunkDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['chat.completion.chunk'] }) object!: 'chat.completion.chunk';
  @ApiProperty() created!: number;
  @ApiProperty() model!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', example: { index: 0, delta: { content: 'Hel' }, finish_reason: null } } })
  choices!: unknown[];
  @ApiPropertyOptional({ type: UsageDto, nullable: true, description: 'only on the final chunk when include_usage is set' })
  usage?: UsageDto | null;
}
