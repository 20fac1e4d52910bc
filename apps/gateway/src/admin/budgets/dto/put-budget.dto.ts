import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALENDAR_PERIODS, type CalendarPeriod } from '@app/governance';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { BudgetSelectorDto } from './budget-selector.dto';

export class PutBudgetDto extends BudgetSelectorDto {
  @ApiPropertyOptional({ enum: CALENDAR_PERIODS, description: 'A calendar period in UTC (weeks start on Monday). Give this or period_seconds.' })
  @IsOptional()
  @IsIn(CALENDAR_PERIODS, { message: "Invalid 'period': expected 'daily', 'weekly' or 'monthly'." })
  period?: CalendarPeriod;

  @ApiPropertyOptional({ description: 'A fixed period in seconds, counted from the Unix epoch. Give this or period.', minimum: 1, example: 3600 })
  @IsOptional()
  @IsInt({ message: "Invalid 'period_seconds': expected a whole number." })
  @Min(1, { message: "Invalid 'period_seconds': must be at least 1." })
  @Max(31_622_400, { message: "Invalid 'period_seconds': at most 31622400 (366 days)." })
  period_seconds?: number;

  @ApiProperty({ description: 'The limit per period in micro-USD (1 USD = 1,000,000).', example: 5_000_000 })
  @IsInt({ message: "Invalid 'amount_micros': expected a whole number." })
  @Min(0, { message: "Invalid 'amount_micros': must not be negative." })
  @Max(Number.MAX_SAFE_INTEGER, { message: "Invalid 'amount_micros': too large." })
  amount_micros!: number;
}
