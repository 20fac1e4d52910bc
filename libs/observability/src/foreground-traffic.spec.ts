import { ForegroundTraffic } from './foreground-traffic';

describe('ForegroundTraffic', () => {
  it('is busy while a request is in flight and for a moment after the last one ended', async () => {
    const traffic = new ForegroundTraffic();
    expect(traffic.busy).toBe(false);
    traffic.started();
    traffic.started();
    traffic.ended();
    expect(traffic.busy).toBe(true);
    traffic.ended();
    expect(traffic.busy).toBe(true); // just ended
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(traffic.busy).toBe(false);
  });
});
