import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { GatewayError } from '@app/core';
import { AdminController } from '../admin-access';
import { LiveStreamService } from './live-stream.service';

@AdminController('Admin: live')
@Controller('admin/live')
export class LiveAdminController {
  constructor(private readonly live: LiveStreamService) {}

  @Get()
  @ApiOperation({
    summary: 'Server-sent events of requests as they finish',
    description:
      'Each event is `id: <sequence>`, `event: request`, `data: <JSON>` (request_id, time, method, route, path, status, requested_model, provider, model, attempts, key_id, key_name, user_path, stream, latency_ms, time_to_first_byte_ms, error_type, input_tokens, output_tokens). A `: heartbeat` comment every 15 s. Reconnect with `Last-Event-ID` (or `?last_event_id=`) to replay what was missed, up to the last 1,000 events. A client that reads too slowly is disconnected.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiQuery({ name: 'last_event_id', required: false, type: Number })
  @ApiResponse({ status: 200, description: 'The event stream.' })
  stream(@Headers('last-event-id') header: string | undefined, @Query('last_event_id') query: string | undefined, @Res() response: Response): void {
    const raw = header ?? query;
    const lastEventId = raw === undefined || raw === '' ? undefined : Number(raw);
    if (lastEventId !== undefined && !Number.isSafeInteger(lastEventId)) throw GatewayError.invalidRequest('Last-Event-ID must be an event id this stream sent.', 'last_event_id');
    this.live.attach(response, lastEventId);
  }
}
