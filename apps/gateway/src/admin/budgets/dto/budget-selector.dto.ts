import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Which budget: a managed key's, or a user path's (exactly one). */
export class BudgetSelectorDto {
  @ApiPropertyOptional({ description: "A managed key's id ('master' for the master key).", example: 'key_123' })
  @IsOptional()
  @IsString({ message: "Invalid 'key_id': expected a string." })
  @MinLength(1, { message: "Invalid 'key_id': must not be empty." })
  @MaxLength(128, { message: "Invalid 'key_id': at most 128 characters." })
  key_id?: string;

  @ApiPropertyOptional({ description: 'A user path; its budget covers every path below it.', example: '/acme' })
  @IsOptional()
  @IsString({ message: "Invalid 'user_path': expected a string." })
  @Matches(/^\//, { message: "Invalid 'user_path': must start with '/'." })
  @MaxLength(255, { message: "Invalid 'user_path': at most 255 characters." })
  user_path?: string;
}
