import { ApiProperty } from '@nestjs/swagger';

export class ModelPriceDto {
  @ApiProperty({ description: 'Micro-dollars per million input tokens.' }) input_per_mtok_micros!: number;
  @ApiProperty({ description: 'Micro-dollars per million output tokens.' }) output_per_mtok_micros!: number;
}

export class AdminModelDto {
  @ApiProperty({ example: 'openai/gpt-4o' }) id!: string;
  @ApiProperty({ enum: ['model', 'alias'] }) kind!: 'model' | 'alias';
  @ApiProperty({ nullable: true, type: String }) provider!: string | null;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ type: [String], description: 'Models: the aliases that route to it. Aliases: their targets then fallbacks (`provider/model`).' }) routes!: string[];
  @ApiProperty({ type: ModelPriceDto, nullable: true, description: 'Null when no price is known or pricing is not configured.' }) price!: ModelPriceDto | null;
}

export class AdminModelListDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [AdminModelDto] }) data!: AdminModelDto[];
}
