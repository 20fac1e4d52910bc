import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../../openapi/error-envelope.dto';
import { AdminController } from '../admin-access';
import { LogQueryDto, toLogPageQuery } from '../log-query.dto';
import { WindowQueryDto } from '../window-query.dto';
import { UsageAnalyticsService } from './usage-analytics.service';
import { BreakdownQueryDto, DailyQueryDto, UsageBreakdownDto, UsageLogDto, UsageSeriesDto, UsageSummaryDto } from './usage.dto';

@AdminController('Admin: usage')
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@Controller('admin/usage')
export class UsageAdminController {
  constructor(private readonly usage: UsageAnalyticsService) {}

  @Get('summary')
  @ApiOperation({ summary: 'Totals of a window (from the hourly rollups)' })
  @ApiOkResponse({ type: UsageSummaryDto })
  summary(@Query() query: WindowQueryDto): Promise<UsageSummaryDto> {
    return this.usage.summary(query);
  }

  @Get('daily')
  @ApiOperation({ summary: 'Totals per local day, week or month of a window' })
  @ApiOkResponse({ type: UsageSeriesDto })
  daily(@Query() query: DailyQueryDto): Promise<UsageSeriesDto> {
    return this.usage.series(query);
  }

  @Get('models')
  @ApiOperation({ summary: 'Totals per provider and model, busiest first' })
  @ApiOkResponse({ type: UsageBreakdownDto })
  models(@Query() query: BreakdownQueryDto): Promise<UsageBreakdownDto> {
    return this.usage.breakdown(query, 'model');
  }

  @Get('user-paths')
  @ApiOperation({ summary: 'Totals per user path, busiest first' })
  @ApiOkResponse({ type: UsageBreakdownDto })
  userPaths(@Query() query: BreakdownQueryDto): Promise<UsageBreakdownDto> {
    return this.usage.breakdown(query, 'userPath');
  }

  @Get('keys')
  @ApiOperation({ summary: 'Totals per key, busiest first' })
  @ApiOkResponse({ type: UsageBreakdownDto })
  keys(@Query() query: BreakdownQueryDto): Promise<UsageBreakdownDto> {
    return this.usage.breakdown(query, 'keyId');
  }

  @Get('log')
  @ApiOperation({ summary: 'Raw usage records, newest first, filtered, keyset-paginated' })
  @ApiOkResponse({ type: UsageLogDto })
  log(@Query() query: LogQueryDto): Promise<UsageLogDto> {
    return this.usage.log(toLogPageQuery(query));
  }
}
