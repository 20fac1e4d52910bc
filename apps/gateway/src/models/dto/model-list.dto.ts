import { ApiProperty } from '@nestjs/swagger';

export class ModelDto {
  @ApiProperty({ example: 'openai/gpt-4o-mini', description: 'provider/model, or an alias from SWITCHYARD_CONFIG (owned_by "switchyard"): usable as `model` in any request' })
  id!: string;

  @ApiProperty({ enum: ['model'] })
  object!: 'model';

  @ApiProperty({ description: 'Unix seconds', example: 1715367049 })
  created!: number;

  @ApiProperty({ example: 'openai' })
  owned_by!: string;
}

export class ModelListDto {
  @ApiProperty({ enum: ['list'] })
  object!: 'list';

  @ApiProperty({ type: [ModelDto] })
  data!: ModelDto[];
}
