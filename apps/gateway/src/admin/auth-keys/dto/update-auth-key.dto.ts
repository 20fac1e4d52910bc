import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateIf } from 'class-validator';
import { DescriptionField, ExpiresAtField, LimitsField, MAX_NAME_LENGTH, ModelsField, NameField } from './key-fields';
import type { KeyLimitsDto } from './key-limits.dto';

/** Fields left out stay as they are; `null` clears a nullable one. */
export class UpdateAuthKeyDto {
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH })
  // A name cannot be cleared: null is refused like any other non-string.
  @ValidateIf((_, value) => value !== undefined)
  @NameField()
  name?: string;

  @IsOptional()
  @DescriptionField()
  description?: string | null;

  @IsOptional()
  @ModelsField()
  models?: string[] | null;

  @IsOptional()
  @LimitsField()
  limits?: KeyLimitsDto | null;

  @IsOptional()
  @ExpiresAtField()
  expires_at?: string | null;
}
