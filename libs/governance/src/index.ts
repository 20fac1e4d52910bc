export * from './spend-pricing';
export * from './key-limits';
export * from './pricing/pricing.module';
export { PricingService } from './pricing/pricing.service';
