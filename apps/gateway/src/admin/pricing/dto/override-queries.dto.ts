import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class ListOverridesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: "Invalid 'limit': expected an integer from 1 to 100." })
  @Min(1, { message: "Invalid 'limit': expected an integer from 1 to 100." })
  @Max(100, { message: "Invalid 'limit': expected an integer from 1 to 100." })
  limit?: number;

  @ApiPropertyOptional({ description: '`next_cursor` of the previous page.' })
  @IsOptional()
  @IsString({ message: "Invalid 'after': expected a cursor string." })
  @Length(1, 512, { message: "Invalid 'after': expected a cursor from a previous page." })
  after?: string;
}

/** Which override a DELETE removes (query parameters: model ids may contain slashes). */
export class OverrideKeyQueryDto {
  @ApiProperty({ example: 'openai' })
  @IsString({ message: "Missing required parameter: 'provider'." })
  @Length(1, 64, { message: "Invalid 'provider': expected 1 to 64 characters." })
  provider!: string;

  @ApiProperty({ example: 'gpt-4o' })
  @IsString({ message: "Missing required parameter: 'model'." })
  @Length(1, 255, { message: "Invalid 'model': expected 1 to 255 characters." })
  model!: string;
}
