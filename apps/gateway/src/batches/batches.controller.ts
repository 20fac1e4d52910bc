import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { BatchObject } from '@app/batches';
import type { BatchOwnerScope } from '@app/storage';
import { ANONYMOUS, type Caller } from '../auth/caller';
import { dtoValidationPipe } from '../http/dto-validation.pipe';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import { LimitsOnly } from '../pipeline/limits-only.interceptor';
import { BatchesService } from './batches.service';
import { CreateBatchDto } from './dto/create-batch.dto';
import { BatchResultsQueryDto, ListBatchesQueryDto } from './dto/list-batches-query.dto';

function callerOf(request: Request): Caller {
  return (request as Request & { caller?: Caller }).caller ?? ANONYMOUS;
}

function owner(request: Request): BatchOwnerScope {
  const caller = callerOf(request);
  return { keyId: caller.keyId, userPath: caller.userPath };
}

/** /v1/batches: control-plane JSON, behind the global auth guard's `inference` scope, admitted for the caller's request limits. */
@ApiTags('OpenAI')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@UsePipes(dtoValidationPipe('drop'))
@UseInterceptors(LimitsOnly('/v1/batches'))
@Controller('v1/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a batch from an uploaded JSONL file or inline requests; malformed lines fail it with per-line errors' })
  @ApiOkResponse({ description: 'The Batch object.' })
  create(@Req() request: Request, @Body() body: CreateBatchDto): Promise<BatchObject> {
    return this.batches.create(callerOf(request), {
      endpoint: body.endpoint,
      inputFileId: body.input_file_id,
      requests: body.requests,
      completionWindow: body.completion_window,
      metadata: body.metadata ?? null,
    });
  }

  @Get()
  @ApiOperation({ summary: "List the caller's batches, newest first" })
  list(@Req() request: Request, @Query() query: ListBatchesQueryDto): Promise<Record<string, unknown>> {
    return this.batches.list(owner(request), query.limit, query.after);
  }

  @Get(':batch_id')
  @ApiOperation({ summary: 'Retrieve a batch (a native one is refreshed from its provider first)' })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  async retrieve(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Param('batch_id') id: string): Promise<BatchObject> {
    const batch = await this.batches.retrieve(owner(request), id);
    // Clients poll batches; OpenAI's SDKs read this hint for how long to wait.
    response.setHeader('openai-poll-after-ms', this.batches.pollAfterMs(batch));
    return batch;
  }

  @Post(':batch_id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a batch: pending requests are dropped, running ones finish' })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  @ApiConflictResponse({ type: OpenAIErrorEnvelopeDto })
  cancel(@Req() request: Request, @Param('batch_id') id: string): Promise<BatchObject> {
    return this.batches.cancel(owner(request), id);
  }

  @Get(':batch_id/results')
  @ApiOperation({ summary: 'Switchyard extension: per-item results of a finished batch, in line order (409 while it runs)' })
  @ApiConflictResponse({ type: OpenAIErrorEnvelopeDto })
  results(@Req() request: Request, @Param('batch_id') id: string, @Query() query: BatchResultsQueryDto): Promise<Record<string, unknown>> {
    return this.batches.results(owner(request), id, query.after, query.limit);
  }
}
