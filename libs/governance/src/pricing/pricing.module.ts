import { Global, Module } from '@nestjs/common';
import { SPEND_PRICING } from '../spend-pricing';
import { PriceDataRefresher } from './price-data-refresher';
import { PricingService } from './pricing.service';

/**
 * Binds SPEND_PRICING to the price table. Global, like ObservabilityModule: usage recording in the
 * pipeline, background responses, budgets and the response cache all price exchanges, from
 * modules of both the gateway and the worker, and none of them should have to know who prices.
 * Needs ConfigModule, ObservabilityModule and StorageModule (all global) in the application.
 */
@Global()
@Module({
  providers: [PricingService, { provide: SPEND_PRICING, useExisting: PricingService }, PriceDataRefresher],
  exports: [PricingService, SPEND_PRICING],
})
export class PricingModule {}
