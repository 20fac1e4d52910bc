import type { IncomingHttpHeaders } from 'node:http';
import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { type AnthropicModel, type AnthropicModelPage, anthropicPage, speaksAnthropic, toAnthropicModel } from './anthropic-models';
import { ModelDto, ModelListDto } from './dto/model-list.dto';
import { ModelsService } from './models.service';

@ApiTags('OpenAI')
@ApiBearerAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @ApiOperation({ summary: "List the models of every configured provider, as provider/model ids, and the configured aliases (in Anthropic's shape to Anthropic clients)" })
  @ApiOkResponse({ type: ModelListDto })
  list(@Headers() headers: IncomingHttpHeaders, @Query() query: Record<string, unknown>, @CurrentCaller() caller: Caller): ModelListDto | AnthropicModelPage {
    const list = this.models.list(caller);
    return speaksAnthropic(headers) ? anthropicPage(list, query) : list;
  }

  // A wildcard, since `provider/model` ids contain a slash (the SDKs encode it, plain clients may not).
  @Get('*id')
  @ApiOperation({ summary: 'Retrieve one model: an alias, a provider/model id, or a bare model id' })
  @ApiParam({ name: 'id', type: String, example: 'openai/gpt-4o-mini' })
  @ApiOkResponse({ type: ModelDto })
  retrieve(@Param('id') id: string | string[], @Headers() headers: IncomingHttpHeaders, @CurrentCaller() caller: Caller): ModelDto | AnthropicModel {
    const model = this.models.retrieve(Array.isArray(id) ? id.join('/') : id, caller);
    return speaksAnthropic(headers) ? toAnthropicModel(model) : model;
  }
}
