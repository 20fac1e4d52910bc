import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class ListBudgetsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: "Invalid 'limit': expected a whole number." })
  @Min(1, { message: "Invalid 'limit': must be at least 1." })
  @Max(100, { message: "Invalid 'limit': at most 100." })
  limit?: number;

  @ApiPropertyOptional({ description: 'A budget id: the page starts after it.' })
  @IsOptional()
  @IsString({ message: "Invalid 'after': expected a budget id." })
  after?: string;
}
