import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

const LIMIT_MESSAGE = { message: "Invalid 'limit': expected an integer between 1 and 100." };

export class ListAuthKeysQueryDto {
  @ApiPropertyOptional({ description: 'A key id: list the keys created before it (the `last_id` of the previous page).' })
  @IsOptional()
  @IsString({ message: "Invalid 'after': expected a key id." })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt(LIMIT_MESSAGE)
  @Min(1, LIMIT_MESSAGE)
  @Max(100, LIMIT_MESSAGE)
  limit?: number;
}
