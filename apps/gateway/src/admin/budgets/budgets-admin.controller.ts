import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayError } from '@app/core';
import { BudgetsAdminService } from '@app/governance';
import type { BudgetSelector } from '@app/storage';
import { dtoValidationPipe } from '../../http/dto-validation.pipe';
import { OpenAIErrorEnvelopeDto } from '../../openapi/error-envelope.dto';
import { BudgetDeletedDto, BudgetDto, BudgetListDto } from './dto/budget.dto';
import { BudgetSelectorDto } from './dto/budget-selector.dto';
import { ListBudgetsQuery } from './dto/list-budgets.query';
import { PutBudgetDto } from './dto/put-budget.dto';

/** Exactly one of key_id / user_path, as the storage selector. */
function selectorOf(dto: BudgetSelectorDto): BudgetSelector {
  if ((dto.key_id === undefined) === (dto.user_path === undefined))
    throw GatewayError.invalidRequest("Give exactly one of 'key_id' or 'user_path'.", dto.key_id === undefined ? 'key_id' : 'user_path');
  return dto.key_id !== undefined ? { keyId: dto.key_id } : { userPath: dto.user_path!.length > 1 ? dto.user_path!.replace(/\/+$/, '') || '/' : dto.user_path };
}

/** Budgets per managed key or user path (admin scope: the pipeline refuses /admin/* to anyone else). */
@ApiTags('Admin')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@UsePipes(dtoValidationPipe('drop'))
@Controller('admin/budgets')
export class BudgetsAdminController {
  constructor(private readonly budgets: BudgetsAdminService) {}

  @Get()
  @ApiOperation({ summary: 'List budgets with their current period and spend' })
  @ApiOkResponse({ type: BudgetListDto })
  async list(@Query() query: ListBudgetsQuery): Promise<BudgetListDto> {
    const { views, hasMore } = await this.budgets.list(query.limit ?? 20, query.after);
    const data = views.map((view) => BudgetDto.of(view));
    return { object: 'list', data, has_more: hasMore, last_id: data.at(-1)?.id ?? null };
  }

  @Put()
  @ApiOperation({ summary: 'Create or replace the budget of a key or user path' })
  @ApiOkResponse({ type: BudgetDto })
  async put(@Body() body: PutBudgetDto): Promise<BudgetDto> {
    const selector = selectorOf(body);
    if ((body.period === undefined) === (body.period_seconds === undefined)) throw GatewayError.invalidRequest("Give exactly one of 'period' or 'period_seconds'.", 'period');
    return BudgetDto.of(await this.budgets.upsert({ ...selector, period: body.period, periodSeconds: body.period_seconds, amountMicros: body.amount_micros }));
  }

  @Delete()
  @ApiOperation({ summary: 'Delete the budget of a key or user path (query key_id or user_path)' })
  @ApiOkResponse({ type: BudgetDeletedDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  async remove(@Query() query: BudgetSelectorDto): Promise<BudgetDeletedDto> {
    const budget = await this.budgets.remove(selectorOf(query));
    return { object: 'budget.deleted', id: budget.id, deleted: true };
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({ summary: "Reset the current period's spend of a budget" })
  @ApiOkResponse({ type: BudgetDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  async reset(@Body() body: BudgetSelectorDto): Promise<BudgetDto> {
    return BudgetDto.of(await this.budgets.reset(selectorOf(body)));
  }
}
