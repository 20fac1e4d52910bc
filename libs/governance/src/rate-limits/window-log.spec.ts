import { WindowLog } from './window-log';

describe('WindowLog', () => {
  it('keeps entries oldest first and their token total as entries come, are corrected and leave', () => {
    const log = new WindowLog({ correctable: true });
    log.add({ lease: 'a', at: 10, tokens: 5 });
    log.add({ lease: 'b', at: 20, tokens: 7 });
    log.add({ lease: 'c', at: 30, tokens: 1 });
    expect([log.size, log.total, log.at(0).lease]).toEqual([3, 13, 'a']);

    log.correct('b', 2);
    expect(log.total).toBe(8);
    log.prune(20); // drops a and b: admitted at or before the cutoff
    expect([log.size, log.total, log.at(0).lease]).toEqual([1, 1, 'c']);
    log.correct('a', 100); // already out of the window: nothing to correct
    expect(log.total).toBe(1);
    log.prune(30);
    expect([log.size, log.total]).toEqual([0, 0]);
  });

  it('ignores corrections when it is not correctable (the request log)', () => {
    const log = new WindowLog({ correctable: false });
    log.add({ lease: 'a', at: 1, tokens: 0 });
    log.correct('a', 5);
    expect([log.size, log.total]).toEqual([1, 0]);
  });

  it('stays exact across compactions of a long log', () => {
    const log = new WindowLog({ correctable: true });
    let expected = 0;
    for (let at = 1; at <= 50_000; at++) {
      log.add({ lease: `l${at}`, at, tokens: at % 7 });
      expected += at % 7;
      if (at % 1000 === 0) {
        // Keep the last 3,000 admissions: the head passes the compaction threshold again and again.
        const cutoff = at - 3000;
        for (let old = Math.max(1, cutoff - 999); old <= cutoff; old++) expected -= old % 7;
        log.prune(cutoff);
        expect(log.size).toBe(Math.min(at, 3000));
        expect(log.total).toBe(expected);
        expect(log.at(0).at).toBe(Math.max(1, cutoff + 1));
      }
    }
    log.correct('l49999', 100);
    expect(log.total).toBe(expected - (49_999 % 7) + 100);
  });
});
