import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BudgetView } from '@app/governance';

export class BudgetDto {
  @ApiProperty({ example: 'budget' }) object!: 'budget';
  @ApiProperty({ example: 'bud_0123456789abcdef' }) id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) key_id!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) user_path!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['daily', 'weekly', 'monthly'] }) period!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) period_seconds!: number | null;
  @ApiProperty() amount_micros!: number;
  @ApiProperty({ description: 'Spent (settled) plus reserved by requests in flight, this period.' }) spent_micros!: number;
  @ApiProperty() remaining_micros!: number;
  @ApiProperty({ description: 'RFC 3339, UTC.' }) period_start!: string;
  @ApiProperty({ description: 'RFC 3339, UTC (exclusive).' }) period_end!: string;

  static of(view: BudgetView): BudgetDto {
    const { budget } = view;
    return {
      object: 'budget',
      id: budget.id,
      key_id: budget.keyId,
      user_path: budget.userPath,
      period: budget.period.kind === 'seconds' ? null : budget.period.kind,
      period_seconds: budget.period.kind === 'seconds' ? budget.period.seconds : null,
      amount_micros: budget.amountMicros,
      spent_micros: view.spentMicros,
      remaining_micros: view.remainingMicros,
      period_start: view.periodStart.toISOString(),
      period_end: view.periodEnd.toISOString(),
    };
  }
}

export class BudgetListDto {
  @ApiProperty({ example: 'list' }) object!: 'list';
  @ApiProperty({ type: [BudgetDto] }) data!: BudgetDto[];
  @ApiProperty() has_more!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `after` for the next page.' }) last_id!: string | null;
}

export class BudgetDeletedDto {
  @ApiProperty({ example: 'budget.deleted' }) object!: 'budget.deleted';
  @ApiProperty() id!: string;
  @ApiProperty({ example: true }) deleted!: true;
}
