import { Body, Controller, Delete, Get, Put, Query, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../auth/auth.decorators';
import { OpenAIErrorEnvelopeDto } from '../../openapi/error-envelope.dto';
import { ModelPriceOverrideDeletedDto, ModelPriceOverrideDto, ModelPriceOverrideListDto } from './dto/model-price-override.dto';
import { ListOverridesQueryDto, OverrideKeyQueryDto } from './dto/override-queries.dto';
import { PutModelPriceOverrideDto } from './dto/put-model-price-override.dto';
import { PriceOverridesService } from './price-overrides.service';
import { dtoValidationPipe } from '../../http/dto-validation.pipe';

@ApiTags('Admin')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@ApiForbiddenResponse({ type: OpenAIErrorEnvelopeDto, description: 'The key lacks the admin scope.' })
@AdminOnly()
@UsePipes(dtoValidationPipe('refuse'))
@Controller('admin/model-pricing-overrides')
export class ModelPricingOverridesController {
  constructor(private readonly overrides: PriceOverridesService) {}

  @Get()
  @ApiOperation({ summary: 'List operator price overrides, by provider and model' })
  @ApiOkResponse({ type: ModelPriceOverrideListDto })
  list(@Query() query: ListOverridesQueryDto): Promise<ModelPriceOverrideListDto> {
    return this.overrides.list(query.limit, query.after);
  }

  @Put()
  @ApiOperation({
    summary: 'Set the price of a provider+model (USD per million tokens)',
    description:
      'Wins over the YAML `pricing:` section and the bundled price database; a cost the provider reports itself still wins over it. Applies to requests from now on; use /admin/usage/recalculate-pricing for past ones.',
  })
  @ApiOkResponse({ type: ModelPriceOverrideDto })
  put(@Body() body: PutModelPriceOverrideDto): Promise<ModelPriceOverrideDto> {
    return this.overrides.put(body);
  }

  @Delete()
  @ApiOperation({ summary: 'Remove the override of a provider+model (query parameters, as model ids may contain slashes)' })
  @ApiOkResponse({ type: ModelPriceOverrideDeletedDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  delete(@Query() query: OverrideKeyQueryDto): Promise<ModelPriceOverrideDeletedDto> {
    return this.overrides.delete(query.provider, query.model);
  }
}
