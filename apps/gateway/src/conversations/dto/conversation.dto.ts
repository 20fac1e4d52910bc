import { ApiProperty } from '@nestjs/swagger';

export class ConversationDto {
  @ApiProperty({ example: 'conv_68a7b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2' }) id!: string;
  @ApiProperty({ enum: ['conversation'] }) object!: 'conversation';
  @ApiProperty({ description: 'Unix seconds', example: 1741900000 }) created_at!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { topic: 'demo' } }) metadata!: Record<string, string>;
}

export class ConversationDeletedDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['conversation.deleted'] }) object!: 'conversation.deleted';
  @ApiProperty({ enum: [true] }) deleted!: true;
}

export class ConversationItemListDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Responses items, each with its `id` and `type`',
  })
  data!: Record<string, unknown>[];
  @ApiProperty({ type: String, nullable: true }) first_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) last_id!: string | null;
  @ApiProperty() has_more!: boolean;
}
