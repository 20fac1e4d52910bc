import { Global, Module } from '@nestjs/common';
import { BUDGET_LEDGER, type BudgetLedger } from '../budgets/budget-ledger';
import { MemoryBudgetLedger } from '../budgets/memory-budget.ledger';
import { MemoryRateLimitStore } from '../rate-limits/memory-rate-limit.store';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../rate-limits/rate-limit-store';
import { RedisRateLimitStore } from '../rate-limits/redis-rate-limit.store';
import { ADMISSION_STORE, type AdmissionStore } from './admission-store';
import { MemoryAdmissionStore } from './memory-admission.store';
import { RedisAdmissionStore } from './redis-admission.store';

/** The admission store over the counters RateLimitsModule and BudgetsModule bound: Redis (on the rate limits' connection) or in process. */
export function admissionStoreFor(limits: RateLimitStore, ledger: BudgetLedger): AdmissionStore {
  if (limits instanceof RedisRateLimitStore) return new RedisAdmissionStore(limits.redis);
  if (limits instanceof MemoryRateLimitStore && ledger instanceof MemoryBudgetLedger) return new MemoryAdmissionStore(limits, ledger);
  throw new Error('The rate-limit store and the budget ledger must both be in Redis or both in process');
}

/** Binds {@link ADMISSION_STORE}; needs RateLimitsModule and BudgetsModule in the application. */
@Global()
@Module({
  providers: [{ provide: ADMISSION_STORE, useFactory: admissionStoreFor, inject: [RATE_LIMIT_STORE, BUDGET_LEDGER] }],
  exports: [ADMISSION_STORE],
})
export class AdmissionStoreModule {}
