import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ITEMS_PER_CALL } from '@app/storage';
import { ArrayMaxSize, IsArray, IsOptional } from 'class-validator';
import { IsConversationMetadata } from './conversation-metadata';

export class CreateConversationDto {
  @ApiPropertyOptional({
    description: `Initial Responses items (messages, function calls and outputs, reasoning …), at most ${MAX_ITEMS_PER_CALL}.`,
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: MAX_ITEMS_PER_CALL,
    nullable: true,
    example: [{ type: 'message', role: 'user', content: 'Hello!' }],
  })
  @IsOptional()
  @IsArray({ message: "Invalid 'items': expected an array of items." })
  @ArrayMaxSize(MAX_ITEMS_PER_CALL, { message: `Invalid 'items': at most ${MAX_ITEMS_PER_CALL} items may be added at a time.` })
  items?: Record<string, unknown>[] | null;

  @ApiPropertyOptional({
    description: 'Up to 16 key-value pairs; keys up to 64 characters, string values up to 512.',
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { topic: 'demo' },
  })
  @IsOptional()
  @IsConversationMetadata()
  metadata?: Record<string, string> | null;
}
