import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OVERRIDE_TEXT_LIMITS } from '@app/storage';
import { IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** The dearest price accepted, USD per million tokens: far above any real model, well inside bigint micros. */
export const MAX_USD_PER_MTOK = 1_000_000;

const price = (field: string) =>
  [
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: `Invalid '${field}': expected a number (USD per million tokens).` }),
    Min(0, { message: `Invalid '${field}': must be 0 or more.` }),
    Max(MAX_USD_PER_MTOK, { message: `Invalid '${field}': must be at most ${MAX_USD_PER_MTOK}.` }),
  ] as const;

function Price(field: string): PropertyDecorator {
  return (target, key) => price(field).forEach((decorator) => decorator(target, key));
}

/**
 * An operator's price for one provider+model, in USD per million tokens as providers publish
 * them (the keys are the price database's). Optional parts left out cost their parent's rate.
 */
export class PutModelPriceOverrideDto {
  @ApiProperty({ description: 'A configured provider instance name (`openai-east`) or a provider type (`openai`, all its instances).', example: 'openai' })
  @IsString({ message: "Invalid 'provider': expected a string." })
  @Length(1, OVERRIDE_TEXT_LIMITS.provider, { message: `Invalid 'provider': expected 1 to ${OVERRIDE_TEXT_LIMITS.provider} characters.` })
  provider!: string;

  @ApiProperty({ description: 'The model id sent upstream (an Azure deployment name for Azure).', example: 'gpt-4o' })
  @IsString({ message: "Invalid 'model': expected a string." })
  @Length(1, OVERRIDE_TEXT_LIMITS.model, { message: `Invalid 'model': expected 1 to ${OVERRIDE_TEXT_LIMITS.model} characters.` })
  model!: string;

  @ApiProperty({ description: 'Uncached text input, USD per million tokens.', example: 2.5, minimum: 0 })
  @Price('input_mtok')
  input_mtok!: number;

  @ApiProperty({ description: 'Text output, USD per million tokens.', example: 10, minimum: 0 })
  @Price('output_mtok')
  output_mtok!: number;

  @ApiPropertyOptional({ description: 'Cache reads; default: the input price.', example: 1.25, nullable: true })
  @IsOptional()
  @Price('cache_read_mtok')
  cache_read_mtok?: number | null;

  @ApiPropertyOptional({ description: 'Cache writes; default: the input price.', nullable: true })
  @IsOptional()
  @Price('cache_write_mtok')
  cache_write_mtok?: number | null;

  @ApiPropertyOptional({ description: 'Reasoning output; default: the output price.', nullable: true })
  @IsOptional()
  @Price('output_reasoning_mtok')
  output_reasoning_mtok?: number | null;

  @ApiPropertyOptional({ description: 'Audio input; default: the input price.', nullable: true })
  @IsOptional()
  @Price('input_audio_mtok')
  input_audio_mtok?: number | null;

  @ApiPropertyOptional({ description: 'Audio output; default: the output price.', nullable: true })
  @IsOptional()
  @Price('output_audio_mtok')
  output_audio_mtok?: number | null;
}
