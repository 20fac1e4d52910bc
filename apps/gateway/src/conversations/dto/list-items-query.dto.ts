import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class ListItemsQueryDto {
  @ApiPropertyOptional({ description: 'An item id: list the items after it (in `order`).' })
  @IsOptional()
  @IsString({ message: "Invalid 'after': expected an item id." })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: "Invalid 'limit': expected an integer between 1 and 100." })
  @Min(1, { message: "Invalid 'limit': expected an integer between 1 and 100." })
  @Max(100, { message: "Invalid 'limit': expected an integer between 1 and 100." })
  limit?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: "Invalid 'order': expected 'asc' or 'desc'." })
  order?: 'asc' | 'desc';

  // Items are stored whole, so every includable field is always present; accepted for compatibility.
  @ApiPropertyOptional({ type: [String], description: 'Accepted for compatibility: stored items are always returned whole.' })
  @IsOptional()
  include?: string[] | string;
}
