import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import { KeyLimitsDto } from './key-limits.dto';

export const MAX_NAME_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = 4_000;
const MAX_MODELS = 100;
const MAX_SELECTOR_LENGTH = 255;

// Shared by the create and update DTOs, so both validate a field the same way.

export const NameField = () =>
  applyDecorators(
    IsString({ message: "Invalid 'name': expected a string." }),
    IsNotEmpty({ message: "Invalid 'name': may not be empty." }),
    MaxLength(MAX_NAME_LENGTH, { message: `Invalid 'name': at most ${MAX_NAME_LENGTH} characters.` }),
  );

export const DescriptionField = () =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: MAX_DESCRIPTION_LENGTH, nullable: true }),
    IsString({ message: "Invalid 'description': expected a string." }),
    MaxLength(MAX_DESCRIPTION_LENGTH, { message: `Invalid 'description': at most ${MAX_DESCRIPTION_LENGTH} characters.` }),
  );

export const ModelsField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      nullable: true,
      maxItems: MAX_MODELS,
      description: 'Model selectors this key may call, `*` as a wildcard: `openai/*`, `anthropic/claude-*`, an alias. Absent or null: every model.',
      example: ['openai/*', 'anthropic/claude-*'],
    }),
    IsArray({ message: "Invalid 'models': expected an array of model selectors." }),
    ArrayMaxSize(MAX_MODELS, { message: `Invalid 'models': at most ${MAX_MODELS} selectors.` }),
    IsString({ each: true, message: "Invalid 'models': every selector must be a string." }),
    IsNotEmpty({ each: true, message: "Invalid 'models': a selector may not be empty." }),
    MaxLength(MAX_SELECTOR_LENGTH, { each: true, message: `Invalid 'models': a selector has at most ${MAX_SELECTOR_LENGTH} characters.` }),
  );

export const LimitsField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: KeyLimitsDto, nullable: true }),
    ValidateNested(),
    Type(() => KeyLimitsDto),
  );

export const ExpiresAtField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, example: '2027-01-01T00:00:00Z', description: 'When the key stops working (ISO 8601).' }),
    IsISO8601({ strict: true }, { message: "Invalid 'expires_at': expected an ISO 8601 date-time." }),
  );
