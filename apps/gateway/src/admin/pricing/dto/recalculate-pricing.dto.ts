import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';

export class RecalculatePricingDto {
  @ApiProperty({ description: 'Start of the range (inclusive), ISO 8601 with a time zone.', example: '2026-12-01T00:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: "Invalid 'start': expected an ISO 8601 date-time." })
  start!: string;

  @ApiProperty({ description: 'End of the range (exclusive), after start.', example: '2026-12-02T00:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: "Invalid 'end': expected an ISO 8601 date-time." })
  end!: string;
}

export class PricingRecalculationDto {
  @ApiProperty({ enum: ['usage.pricing_recalculation'] }) object!: 'usage.pricing_recalculation';
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ description: 'Usage records in the range.' }) rows_scanned!: number;
  @ApiProperty({ description: 'Records whose cost columns were rewritten from the current prices.' }) rows_updated!: number;
  @ApiProperty({ description: 'Of those, records for which no price is known (cost now null).' }) rows_without_price!: number;
  @ApiProperty({ description: 'Records kept as they were because the provider reported their cost itself.' }) rows_provider_reported!: number;
}
