import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { OpenAIErrorEnvelopeDto } from '../../openapi/error-envelope.dto';
import { AdminController } from '../admin-access';
import { LogQueryDto, toLogPageQuery } from '../log-query.dto';
import { AuditAdminService } from './audit-admin.service';
import { AuditEntryDto, AuditLogDto, AuditThreadDto } from './audit.dto';

@AdminController('Admin: audit')
@Controller('admin/audit')
export class AuditAdminController {
  constructor(private readonly audit: AuditAdminService) {}

  @Get('log')
  @ApiOperation({ summary: 'Audit entries (without bodies), newest first, filtered, keyset-paginated' })
  @ApiOkResponse({ type: AuditLogDto })
  @ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
  log(@Query() query: LogQueryDto): Promise<AuditLogDto> {
    return this.audit.log(toLogPageQuery(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One audit entry in full (headers and bodies when captured)' })
  @ApiOkResponse({ type: AuditEntryDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  entry(@Param('id') id: string): Promise<AuditEntryDto> {
    return this.audit.entry(id);
  }

  @Get(':id/thread')
  @ApiOperation({ summary: 'The Responses chain and conversation around an entry' })
  @ApiOkResponse({ type: AuditThreadDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  thread(@Param('id') id: string): Promise<AuditThreadDto> {
    return this.audit.thread(id);
  }
}
