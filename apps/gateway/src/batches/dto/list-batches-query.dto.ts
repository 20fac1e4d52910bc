import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** GET /v1/batches: cursor pagination, newest first. */
export class ListBatchesQueryDto {
  @ApiPropertyOptional({ description: 'The id of the last batch of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

/** GET /v1/batches/{id}/results: pages by line index. */
export class BatchResultsQueryDto {
  @ApiPropertyOptional({ description: 'Return items after this 0-based index.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(-1)
  after: number = -1;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 1000;
}
