import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, ValidateIf } from 'class-validator';
import { IsConversationMetadata } from './conversation-metadata';

export class UpdateConversationDto {
  @ApiProperty({
    description: 'Replaces the metadata in full (null clears it). Up to 16 pairs; keys up to 64 characters, string values up to 512.',
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { topic: 'renamed' },
  })
  // Required, but null is a valid value: it clears the metadata.
  @ValidateIf((dto: UpdateConversationDto) => dto.metadata !== null)
  @IsDefined({ message: "Missing required parameter: 'metadata'." })
  @IsConversationMetadata()
  metadata: Record<string, string> | null;
}
