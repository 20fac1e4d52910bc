import { ApiProperty } from '@nestjs/swagger';

export class ModelPriceOverrideDto {
  @ApiProperty({ enum: ['model_price_override'] }) object!: 'model_price_override';
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ example: 'gpt-4o' }) model!: string;
  @ApiProperty({ example: 2.5 }) input_mtok!: number;
  @ApiProperty({ example: 10 }) output_mtok!: number;
  @ApiProperty({ type: Number, nullable: true }) cache_read_mtok!: number | null;
  @ApiProperty({ type: Number, nullable: true }) cache_write_mtok!: number | null;
  @ApiProperty({ type: Number, nullable: true }) output_reasoning_mtok!: number | null;
  @ApiProperty({ type: Number, nullable: true }) input_audio_mtok!: number | null;
  @ApiProperty({ type: Number, nullable: true }) output_audio_mtok!: number | null;
  @ApiProperty({ description: 'ISO 8601, UTC', example: '2026-12-01T12:00:00.000Z' }) updated_at!: string;
}

export class ModelPriceOverrideListDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ModelPriceOverrideDto] }) data!: ModelPriceOverrideDto[];
  @ApiProperty() has_more!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last page.' }) next_cursor!: string | null;
}

export class ModelPriceOverrideDeletedDto {
  @ApiProperty({ enum: ['model_price_override.deleted'] }) object!: 'model_price_override.deleted';
  @ApiProperty() provider!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ enum: [true] }) deleted!: true;
}
