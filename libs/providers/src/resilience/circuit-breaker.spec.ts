import { CircuitBreaker } from './circuit-breaker';

function breaker(threshold = 3, cooldownMs = 1000) {
  let now = 0;
  const states: string[] = [];
  const instance = new CircuitBreaker({ failureThreshold: threshold, cooldownMs, now: () => now, onStateChange: (state) => states.push(state) });
  return { instance, states, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and fails fast during the cooldown', () => {
    const { instance, states } = breaker(3);
    for (let i = 0; i < 3; i++) {
      expect(instance.tryAcquire()).toBe(true);
      instance.failure();
    }
    expect(states).toEqual(['open']);
    expect(instance.tryAcquire()).toBe(false);
  });

  it('a success resets the consecutive failure count', () => {
    const { instance } = breaker(2);
    instance.failure();
    instance.success();
    instance.failure();
    expect(instance.currentState).toBe('closed');
  });

  it('lets exactly one trial through after the cooldown; its success closes the breaker', () => {
    const { instance, states, advance } = breaker(1, 1000);
    instance.failure();
    advance(999);
    expect(instance.tryAcquire()).toBe(false);
    advance(1);
    expect(instance.tryAcquire()).toBe(true);
    expect(instance.tryAcquire()).toBe(false);
    instance.success();
    expect(states).toEqual(['open', 'half_open', 'closed']);
    expect(instance.tryAcquire()).toBe(true);
  });

  it('a failed trial opens the breaker again for a full cooldown', () => {
    const { instance, advance } = breaker(5, 1000);
    for (let i = 0; i < 5; i++) instance.failure();
    advance(1000);
    expect(instance.tryAcquire()).toBe(true);
    instance.failure();
    expect(instance.currentState).toBe('open');
    expect(instance.retryInMs()).toBe(1000);
  });

  it('a released trial (client cancelled) lets the next call try', () => {
    const { instance, advance } = breaker(1, 10);
    instance.failure();
    advance(10);
    expect(instance.tryAcquire()).toBe(true);
    instance.release();
    expect(instance.tryAcquire()).toBe(true);
  });
});
