import { Module } from '@nestjs/common';
import { ModelPricingOverridesController } from './model-pricing-overrides.controller';
import { PriceOverridesService } from './price-overrides.service';
import { UsageRepricingController } from './usage-repricing.controller';
import { UsageRepricingService } from './usage-repricing.service';

/** /admin/model-pricing-overrides and /admin/usage/recalculate-pricing (PricingService and the repositories come from global modules). */
@Module({
  controllers: [ModelPricingOverridesController, UsageRepricingController],
  providers: [PriceOverridesService, UsageRepricingService],
})
export class PricingAdminModule {}
