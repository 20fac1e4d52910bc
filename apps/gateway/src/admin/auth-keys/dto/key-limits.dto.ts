import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX = 1_000_000_000;
const positive = (field: string) => ({ message: `Invalid '${field}': expected a positive integer.` });

/** A key's own rate limits (enforced by the rate-limit policy). */
export class KeyLimitsDto {
  @ApiPropertyOptional({ minimum: 1, example: 600 })
  @IsOptional()
  @IsInt(positive('requests_per_minute'))
  @Min(1, positive('requests_per_minute'))
  @Max(MAX, positive('requests_per_minute'))
  requests_per_minute?: number;

  @ApiPropertyOptional({ minimum: 1, example: 200_000 })
  @IsOptional()
  @IsInt(positive('tokens_per_minute'))
  @Min(1, positive('tokens_per_minute'))
  @Max(MAX, positive('tokens_per_minute'))
  tokens_per_minute?: number;

  @ApiPropertyOptional({ minimum: 1, example: 10 })
  @IsOptional()
  @IsInt(positive('max_parallel'))
  @Min(1, positive('max_parallel'))
  @Max(MAX, positive('max_parallel'))
  max_parallel?: number;
}
