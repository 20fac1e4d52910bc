import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../admin-access';
import { RuntimeAdminService } from './runtime-admin.service';
import { RuntimeConfigDto, RuntimeRefreshDto } from './runtime.dto';

@AdminController('Admin: operations')
@Controller('admin/runtime')
export class RuntimeAdminController {
  constructor(private readonly runtime: RuntimeAdminService) {}

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-list models and reload keys, aliases and budgets where their services can; reports each step' })
  @ApiOkResponse({ type: RuntimeRefreshDto })
  refresh(): Promise<RuntimeRefreshDto> {
    return this.runtime.refresh();
  }

  @Get('config')
  @ApiOperation({ summary: 'The running configuration, credentials redacted' })
  @ApiOkResponse({ type: RuntimeConfigDto })
  config(): RuntimeConfigDto {
    return this.runtime.runningConfig();
  }
}
