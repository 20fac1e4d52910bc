import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_USER_PATH_LENGTH } from '@app/governance';
import { DescriptionField, ExpiresAtField, LimitsField, MAX_NAME_LENGTH, ModelsField, NameField } from './key-fields';
import type { KeyLimitsDto } from './key-limits.dto';

export class CreateAuthKeyDto {
  @ApiProperty({ maxLength: MAX_NAME_LENGTH, example: 'search-backend' })
  @NameField()
  name!: string;

  @IsOptional()
  @DescriptionField()
  description?: string | null;

  @ApiPropertyOptional({
    maxLength: MAX_USER_PATH_LENGTH,
    example: '/acme/search',
    description: "The key's identity in usage and budgets; requests may narrow it with X-Switchyard-User-Path.",
  })
  @IsOptional()
  @IsString({ message: "Invalid 'user_path': expected a string such as '/acme/search'." })
  @MaxLength(MAX_USER_PATH_LENGTH, { message: `Invalid 'user_path': at most ${MAX_USER_PATH_LENGTH} characters.` })
  user_path?: string | null;

  @IsOptional()
  @ModelsField()
  models?: string[] | null;

  @IsOptional()
  @ExpiresAtField()
  expires_at?: string | null;

  @ApiPropertyOptional({ type: [String], enum: ['inference', 'admin'], default: ['inference'] })
  @IsOptional()
  @IsArray({ message: "Invalid 'scopes': expected an array of 'inference' and/or 'admin'." })
  @ArrayNotEmpty({ message: "Invalid 'scopes': give at least one scope." })
  @IsIn(['inference', 'admin'], { each: true, message: "Invalid 'scopes': each scope is 'inference' or 'admin'." })
  scopes?: ('inference' | 'admin')[];

  @IsOptional()
  @LimitsField()
  limits?: KeyLimitsDto | null;
}
