import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RefreshStepDto {
  @ApiProperty({ example: 'models', description: '`models` (re-list every provider), then each reloadable service (keys, aliases, budgets…).' }) step!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() error?: string;
}

export class RuntimeRefreshDto {
  @ApiProperty({ enum: ['runtime.refresh'] }) object!: 'runtime.refresh';
  @ApiProperty({ description: 'Every step succeeded.' }) ok!: boolean;
  @ApiProperty({ type: [RefreshStepDto] }) steps!: RefreshStepDto[];
}

export class RuntimeConfigDto {
  @ApiProperty({ enum: ['runtime.config'] }) object!: 'runtime.config';
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The validated configuration with every credential redacted.' }) config!: Record<string, unknown>;
}
