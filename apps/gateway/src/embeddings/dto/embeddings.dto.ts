import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Documentation-only schemas (Swagger); the hot path checks `model` and `input` by hand.

export class EmbeddingsRequestDto {
  @ApiProperty({ example: 'openai/text-embedding-3-small' }) model!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: 'The quick brown fox' }) input!: string | string[];
  @ApiPropertyOptional({ enum: ['float', 'base64'] }) encoding_format?: string;
  @ApiPropertyOptional() dimensions?: number;
}

export class EmbeddingDto {
  @ApiProperty({ enum: ['embedding'] }) object!: 'embedding';
  @ApiProperty() index!: number;
  @ApiProperty({ type: [Number] }) embedding!: number[];
}

export class EmbeddingsResponseDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [EmbeddingDto] }) data!: EmbeddingDto[];
  @ApiProperty() model!: string;
  @ApiProperty({ example: { prompt_tokens: 5, total_tokens: 5 } }) usage!: { prompt_tokens: number; total_tokens: number };
}
