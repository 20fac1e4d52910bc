import { Body, Controller, HttpCode, Post, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../auth/auth.decorators';
import { OpenAIErrorEnvelopeDto } from '../../openapi/error-envelope.dto';
import { PricingRecalculationDto, RecalculatePricingDto } from './dto/recalculate-pricing.dto';
import { dtoValidationPipe } from '../../http/dto-validation.pipe';
import { REPRICING_BATCH_SIZE, UsageRepricingService } from './usage-repricing.service';

@ApiTags('Admin')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@ApiForbiddenResponse({ type: OpenAIErrorEnvelopeDto, description: 'The key lacks the admin scope.' })
@AdminOnly()
@UsePipes(dtoValidationPipe('refuse'))
@Controller('admin/usage')
export class UsageRepricingController {
  constructor(private readonly repricing: UsageRepricingService) {}

  @Post('recalculate-pricing')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recompute the stored cost of usage records created in [start, end) from the current prices',
    description: `Walks the range ${REPRICING_BATCH_SIZE} records at a time. Records whose cost the provider reported are kept.`,
  })
  @ApiOkResponse({ type: PricingRecalculationDto })
  recalculate(@Body() body: RecalculatePricingDto): Promise<PricingRecalculationDto> {
    return this.repricing.recalculate(body.start, body.end);
  }
}
