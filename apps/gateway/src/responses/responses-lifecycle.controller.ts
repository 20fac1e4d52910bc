import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayError, requireWellFormedId } from '@app/core';
import { ResponseStore } from '@app/responses';
import { readInputItemsQuery } from './input-items-query';
import { ResponsesLifecycleService } from './responses-lifecycle.service';

/**
 * The control-plane side of the Responses API: stored responses, read, deleted, cancelled. Every
 * id is checked for shape first: one with NUL breaks PostgreSQL queries, and one like `..` would
 * become a path segment in the provider URL the lookups call.
 */
@ApiTags('OpenAI')
@ApiBearerAuth('bearer')
@Controller('v1/responses')
export class ResponsesLifecycleController {
  constructor(
    private readonly lifecycle: ResponsesLifecycleService,
    private readonly store: ResponseStore,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a response (gateway store first, then the provider)' })
  retrieve(@Param('id') id: string) {
    return this.lifecycle.retrieve(requireWellFormedId(id, 'response_id'));
  }

  @Delete(':id')
  @ApiOperation({ summary: "Delete a stored response (and the provider's copy where it has one)" })
  delete(@Param('id') id: string) {
    return this.lifecycle.delete(requireWellFormedId(id, 'response_id'));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a background response (idempotent)' })
  cancel(@Param('id') id: string) {
    return this.lifecycle.cancel(requireWellFormedId(id, 'response_id'));
  }

  @Get(':id/input_items')
  @ApiOperation({ summary: 'List the input items of a stored response (after, limit 1–100, order)' })
  async inputItems(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    requireWellFormedId(id, 'response_id');
    const page = readInputItemsQuery(query);
    if (!(await this.store.find(id))) throw new GatewayError('not_found', `Response with id '${id}' not found.`, { code: 'response_not_found' });
    const result = await this.store.pageInputItems(id, page);
    if (!result) throw GatewayError.invalidRequest(`'after' names no input item of response '${id}'.`, 'after');
    return { object: 'list', data: result.items, first_id: result.items[0]?.id ?? null, last_id: result.items.at(-1)?.id ?? null, has_more: result.hasMore };
  }
}
