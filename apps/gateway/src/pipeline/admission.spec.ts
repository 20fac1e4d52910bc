import { GatewayError } from '@app/core';
import type { RoutePlan } from '@app/providers';
import { Admission, type AdmissionPolicy, Rejection } from './admission';
import type { Exchange } from './exchange';

const PLAN = { selector: 'openai/gpt-4o', targets: [] } as unknown as RoutePlan;

function policy(verdict: () => unknown, log: string[], name: string): AdmissionPolicy {
  return { admit: () => verdict(), settle: (reservation) => log.push(`settle ${name}:${String(reservation)}`) };
}

function exchange(): Exchange {
  return { admitted: undefined } as unknown as Exchange;
}

describe('Admission', () => {
  it('admits synchronously when every policy decides synchronously (no promise to await)', () => {
    const log: string[] = [];
    const admission = new Admission([policy(() => 'a', log, 'a'), policy(() => null, log, 'b')]);
    const current = exchange();
    expect(admission.admit(current, PLAN)).toBeUndefined();
    expect(current.admitted).toEqual(['a', null]);
  });

  it('keeps policy order across synchronous and asynchronous verdicts', async () => {
    const log: string[] = [];
    const order: string[] = [];
    const admission = new Admission([
      policy(() => (order.push('sync'), 'first'), log, 'first'),
      policy(() => (order.push('async'), Promise.resolve('second')), log, 'second'),
      policy(() => (order.push('after'), 'third'), log, 'third'),
    ]);
    const current = exchange();
    const pending = admission.admit(current, PLAN);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(order).toEqual(['sync', 'async', 'after']);
    expect(current.admitted).toEqual(['first', 'second', 'third']);
  });

  it('a refusal after an asynchronous admit throws in dialect, and settles only what was admitted before it', async () => {
    const log: string[] = [];
    const admission = new Admission([
      policy(() => Promise.resolve('held'), log, 'held'),
      policy(() => new Rejection(429, 'Over the limit.', 'rate_limit_exceeded', 1500), log, 'refusing'),
      policy(() => 'never', log, 'never'),
    ]);
    const current = exchange();
    const refused = await Promise.resolve(admission.admit(current, PLAN)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfterMs: 1500 });
    expect(current.errorType).toBe('rejected');
    admission.settle(current, { status: 429, completed: true, errorType: 'rejected' });
    expect(log).toEqual(['settle held:held']);
  });

  it('a synchronous refusal throws at once, before later policies run', () => {
    const log: string[] = [];
    let later = false;
    const admission = new Admission([policy(() => new Rejection(403, 'No.', 'model_not_allowed'), log, 'refusing'), policy(() => (later = true), log, 'later')]);
    expect(() => admission.admit(exchange(), PLAN)).toThrow(GatewayError);
    expect(later).toBe(false);
  });
});
