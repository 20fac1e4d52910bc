import { buildConfig } from '@app/config';
import type { ForegroundTraffic } from '@app/observability';
import { ProviderPacer } from './provider-pacer';

/** Starts `count` items on one provider; each stays in flight until released. Reports the peak in flight. */
function items(pacer: ProviderPacer, count: number) {
  let inFlight = 0;
  let peak = 0;
  const releases: Array<() => void> = [];
  const done = Array.from({ length: count }, () =>
    pacer.run('openai', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => releases.push(resolve));
      inFlight--;
    }),
  );
  return { done: Promise.all(done), releases, peak: () => peak, inFlight: () => inFlight };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ProviderPacer', () => {
  it('runs at most BATCH_CONCURRENCY items per provider', async () => {
    const pacer = new ProviderPacer(buildConfig({ BATCH_CONCURRENCY: '3' }));
    const run = items(pacer, 10);
    await tick();
    expect(run.inFlight()).toBe(3);
    while (run.releases.length > 0 || run.inFlight() > 0) {
      run.releases.splice(0).forEach((release) => release());
      await tick();
    }
    await run.done;
    expect(run.peak()).toBe(3);
  });

  it('yields to live traffic: BATCH_FOREGROUND_CONCURRENCY while the process serves requests, back to the full limit when it stops', async () => {
    const traffic = { busy: true } as ForegroundTraffic;
    const pacer = new ProviderPacer(buildConfig({ BATCH_CONCURRENCY: '8', BATCH_FOREGROUND_CONCURRENCY: '2' }), traffic);
    const run = items(pacer, 20);
    await tick();
    expect(run.inFlight()).toBe(2);
    // Still serving: each finished item lets exactly one more start.
    run.releases.splice(0, 1).forEach((release) => release());
    await tick();
    expect(run.inFlight()).toBe(2);
    // Traffic stopped: the next release fills every free slot.
    (traffic as { busy: boolean }).busy = false;
    run.releases.splice(0, 1).forEach((release) => release());
    await tick();
    expect(run.inFlight()).toBe(8);
    while (run.releases.length > 0 || run.inFlight() > 0) {
      run.releases.splice(0).forEach((release) => release());
      await tick();
    }
    await run.done;
  });

  it('never lets the foreground limit exceed BATCH_CONCURRENCY', () => {
    const pacer = new ProviderPacer(buildConfig({ BATCH_CONCURRENCY: '1', BATCH_FOREGROUND_CONCURRENCY: '4' }), { busy: true } as ForegroundTraffic);
    expect(pacer.currentLimit()).toBe(1);
  });
});
