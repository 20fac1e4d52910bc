import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../../openapi/error-envelope.dto';
import { AdminController } from '../admin-access';
import { CacheDeletedDto, CacheDeleteQueryDto, CacheOverviewDto, CacheOverviewQueryDto } from './cache-admin.dto';
import { CacheAdminService } from './cache-admin.service';

@AdminController('Admin: cache')
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@Controller('admin/cache')
export class CacheAdminController {
  constructor(private readonly cache: CacheAdminService) {}

  @Get('overview')
  @ApiOperation({ summary: 'Response cache hit rate, saved tokens and saved cost by model over a window (from usage records)' })
  @ApiOkResponse({ type: CacheOverviewDto })
  overview(@Query() query: CacheOverviewQueryDto): Promise<CacheOverviewDto> {
    return this.cache.overview(query.window);
  }

  @Delete()
  @ApiOperation({ summary: 'Delete response cache entries: all, or those of one provider/model' })
  @ApiOkResponse({ type: CacheDeletedDto })
  delete(@Query() query: CacheDeleteQueryDto): Promise<CacheDeletedDto> {
    return this.cache.delete(query.model);
  }
}
