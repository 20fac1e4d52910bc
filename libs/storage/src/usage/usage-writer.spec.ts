import { Logger } from '@nestjs/common';
import { type AppConfig, buildConfig, type UsageConfig } from '@app/config';
import type { GatewayMetrics } from '@app/observability';
import type { NewUsageRecord } from './new-usage-record';
import { FINAL_FLUSH_DEADLINE_MS, UsageWriter } from './usage-writer';
import type { UsageRepository } from './usage.repository';

type DropReason = Parameters<GatewayMetrics['countUsageDropped']>[0];

/** What pg throws while the server refuses connections. */
const unavailable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
/** What TypeORM throws when PostgreSQL refuses a row (a NUL in text): the whole statement fails. */
const refused = () => Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { driverError: { code: '22021' } });

class FakeRepository implements Pick<UsageRepository, 'insertMany'> {
  readonly batches: string[][] = [];
  /** Every insertMany call, with the time (fake clock) it was made. */
  readonly attempts: { at: number; size: number }[] = [];
  /** Unavailable-database failures to throw before inserts succeed again. */
  failuresLeft = 0;
  /** Records the database refuses: any batch holding one fails whole, as a bulk INSERT does. */
  refuses: (record: NewUsageRecord) => boolean = () => false;
  /** When set, each insert waits for release() before it settles. */
  gate: Promise<void> | undefined;
  active = 0;
  maxActive = 0;

  async insertMany(records: readonly NewUsageRecord[]): Promise<void> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    this.attempts.push({ at: Date.now(), size: records.length });
    try {
      await this.gate;
      if (this.failuresLeft > 0) {
        this.failuresLeft -= 1;
        throw unavailable();
      }
      if (records.some(this.refuses)) throw refused();
      this.batches.push(records.map((r) => r.requestId));
    } finally {
      this.active -= 1;
    }
  }

  get written(): string[] {
    return this.batches.flat();
  }
}

class FakeMetrics implements Pick<GatewayMetrics, 'countUsageDropped' | 'countUsageWritten'> {
  written = 0;
  readonly dropped: Record<DropReason, number> = { buffer_full: 0, write_failed: 0 };

  countUsageDropped(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
  }

  countUsageWritten(count: number): void {
    this.written += count;
  }
}

function record(requestId: string): NewUsageRecord {
  return {
    requestId,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    provider: 'openai',
    model: 'gpt-4o',
    endpoint: '/v1/chat/completions',
    status: 200,
    stream: false,
    inputTokens: 1,
    outputTokens: 1,
    cachedTokens: 0,
    reasoningTokens: 0,
    latencyMs: 10,
    timeToFirstTokenMs: null,
    keyId: 'key_secret_id',
    userPath: null,
    errorType: null,
  };
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('UsageWriter', () => {
  let repository: FakeRepository;
  let metrics: FakeMetrics;
  let logError: jest.SpyInstance;

  function writer(usage: Partial<UsageConfig>): UsageWriter {
    const base = buildConfig({});
    const config: AppConfig = { ...base, usage: { ...base.usage, flushIntervalMs: 1_000, flushBatchSize: 100, bufferLimit: 1_000, ...usage } };
    return new UsageWriter(repository, metrics, config);
  }

  beforeEach(() => {
    jest.useFakeTimers();
    repository = new FakeRepository();
    metrics = new FakeMetrics();
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('writes as soon as a batch is full, without waiting for the timer', async () => {
    const usage = writer({ flushBatchSize: 3, flushIntervalMs: 60_000 });
    ids('r', 2).forEach((id) => usage.record(record(id)));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.batches).toEqual([]);

    usage.record(record('r2'));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.batches).toEqual([['r0', 'r1', 'r2']]);
    expect(metrics.written).toBe(3);
  });

  it('writes a partial batch once the flush interval has passed', async () => {
    const usage = writer({ flushIntervalMs: 1_000 });
    usage.record(record('a'));
    await jest.advanceTimersByTimeAsync(500);
    usage.record(record('b'));
    await jest.advanceTimersByTimeAsync(499);
    expect(repository.batches).toEqual([]);

    await jest.advanceTimersByTimeAsync(1);
    expect(repository.batches).toEqual([['a', 'b']]);
    // Nothing buffered, nothing written: the next interval does not produce an empty insert.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(repository.batches).toHaveLength(1);
  });

  it('runs one write at a time, in arrival order', async () => {
    let release!: () => void;
    repository.gate = new Promise((resolve) => (release = resolve));
    const usage = writer({ flushBatchSize: 2 });
    ids('r', 6).forEach((id) => usage.record(record(id)));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.active).toBe(1);

    release();
    await usage.flush();
    expect(repository.maxActive).toBe(1);
    expect(repository.batches).toEqual([
      ['r0', 'r1'],
      ['r2', 'r3'],
      ['r4', 'r5'],
    ]);
  });

  it('drops and counts records beyond the buffer limit, including while a write is in flight', async () => {
    let release!: () => void;
    repository.gate = new Promise((resolve) => (release = resolve));
    const usage = writer({ bufferLimit: 3, flushBatchSize: 2 });
    ids('r', 5).forEach((id) => usage.record(record(id)));
    expect(metrics.dropped.buffer_full).toBe(2);

    release();
    await usage.flush();
    expect(repository.written).toEqual(['r0', 'r1', 'r2']);
    usage.record(record('after'));
    await usage.flush();
    expect(repository.written).toContain('after');
    expect(metrics.dropped.buffer_full).toBe(2);
  });

  it('retries a failed write and keeps the records when a later try succeeds', async () => {
    repository.failuresLeft = 2;
    const usage = writer({});
    usage.record(record('a'));
    const flushed = usage.flush();
    await jest.advanceTimersByTimeAsync(1_000);
    await flushed;
    expect(repository.written).toEqual(['a']);
    expect(metrics).toMatchObject({ written: 1, dropped: { write_failed: 0 } });
    expect(logError).not.toHaveBeenCalled();
  });

  it('flush() resolves only after the records buffered at call time are written', async () => {
    let release!: () => void;
    repository.gate = new Promise((resolve) => (release = resolve));
    const usage = writer({});
    usage.record(record('a'));
    let done = false;
    const flushed = usage.flush().then(() => (done = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);

    release();
    await flushed;
    expect(repository.written).toEqual(['a']);
  });

  it('close() writes everything buffered, in batches, and is idempotent', async () => {
    const usage = writer({ flushBatchSize: 2, flushIntervalMs: 60_000 });
    ids('r', 5).forEach((id) => usage.record(record(id)));
    await Promise.all([usage.close(), usage.beforeApplicationShutdown()]);
    expect(repository.written).toEqual(ids('r', 5));

    await usage.close();
    expect(repository.written).toHaveLength(5);
    expect(metrics.written).toBe(5);
  });

  it('writes records that arrive after close() straight away', async () => {
    const usage = writer({ flushIntervalMs: 60_000 });
    await usage.close();
    usage.record(record('late-1'));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.batches).toEqual([['late-1']]);
    usage.record(record('late-2'));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.batches).toEqual([['late-1'], ['late-2']]);
  });
});

describe('UsageWriter while the database is unavailable', () => {
  let repository: FakeRepository;
  let metrics: FakeMetrics;
  let logError: jest.SpyInstance;

  function writer(usage: Partial<UsageConfig>): UsageWriter {
    const base = buildConfig({});
    const config: AppConfig = { ...base, usage: { ...base.usage, flushIntervalMs: 1_000, flushBatchSize: 100, bufferLimit: 1_000, ...usage } };
    return new UsageWriter(repository, metrics, config);
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    repository = new FakeRepository();
    metrics = new FakeMetrics();
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('keeps retrying with capped exponential backoff until the database returns, losing nothing', async () => {
    repository.failuresLeft = 12;
    const usage = writer({});
    ids('r', 4).forEach((id) => usage.record(record(id)));
    const flushed = usage.flush();
    await jest.advanceTimersByTimeAsync(60_000);
    await flushed;

    expect(repository.written).toEqual(ids('r', 4));
    expect(metrics).toMatchObject({ written: 4, dropped: { write_failed: 0, buffer_full: 0 } });
    const pauses = repository.attempts.slice(1).map((attempt, i) => attempt.at - repository.attempts[i].at);
    expect(pauses).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000]);
    expect(logError).not.toHaveBeenCalled();
  });

  it('buffers new records during the outage up to the limit, drops and counts only past it', async () => {
    repository.failuresLeft = Number.POSITIVE_INFINITY;
    const usage = writer({ bufferLimit: 250, flushBatchSize: 100 });
    ids('a', 100).forEach((id) => usage.record(record(id)));
    await jest.advanceTimersByTimeAsync(10_000); // the first batch is failing and retrying
    ids('b', 200).forEach((id) => usage.record(record(id)));
    expect(metrics.dropped.buffer_full).toBe(50);

    repository.failuresLeft = 0;
    const flushed = usage.flush();
    await jest.advanceTimersByTimeAsync(5_000);
    await flushed;
    expect(repository.written).toEqual([...ids('a', 100), ...ids('b', 150)]);
    expect(metrics).toMatchObject({ written: 250, dropped: { write_failed: 0, buffer_full: 50 } });
  });

  it('isolates the rows the database refuses and writes every other row of their batch', async () => {
    repository.refuses = (rec) => rec.requestId.startsWith('bad');
    const usage = writer({ flushBatchSize: 500, bufferLimit: 1_000 });
    const requestIds = ids('good', 500);
    requestIds.splice(7, 0, 'bad-1');
    requestIds.splice(250, 0, 'bad-2');
    requestIds.splice(499, 0, 'bad-3');
    requestIds.forEach((id) => usage.record(record(id)));
    await usage.flush();

    expect(repository.written).toEqual(ids('good', 500));
    expect(metrics.written).toBe(500);
    expect(metrics.dropped.write_failed).toBe(3);
    // Bisection, not one insert per row.
    expect(repository.attempts.length).toBeLessThan(80);
    expect(logError).toHaveBeenCalledTimes(1);
    const message = String(logError.mock.calls[0][0]);
    expect(message).toContain('Dropped 3 of 500 usage records the database refused');
    // Written after their requests ended, so outside their log context: the line names them itself.
    expect(message).toContain('request ids: bad-1, bad-2, bad-3');
    expect(message).not.toContain('key_secret_id');

    usage.record(record('next'));
    await usage.flush();
    expect(repository.written.at(-1)).toBe('next');
  });

  it('resumes isolating refused rows where it stopped when the database drops out in between', async () => {
    repository.refuses = (rec) => rec.requestId === 'bad';
    const usage = writer({ flushBatchSize: 8 });
    const requestIds = ['r0', 'r1', 'r2', 'bad', 'r3', 'r4', 'r5', 'r6'];
    const original = repository.insertMany.bind(repository);
    let calls = 0;
    jest.spyOn(repository, 'insertMany').mockImplementation(async (records) => {
      calls += 1;
      if (calls === 3) throw unavailable(); // in the middle of the bisection
      return original(records);
    });
    requestIds.forEach((id) => usage.record(record(id)));
    const flushed = usage.flush();
    await jest.advanceTimersByTimeAsync(1_000);
    await flushed;

    expect(repository.written).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(metrics.dropped.write_failed).toBe(1);
  });

  it('gives up the final flush after the deadline, counts and logs what is lost, and exits the wait', async () => {
    repository.failuresLeft = Number.POSITIVE_INFINITY;
    const usage = writer({ flushBatchSize: 2 });
    ids('r', 5).forEach((id) => usage.record(record(id)));
    let closed = false;
    const closing = usage.close().then(() => (closed = true));
    await jest.advanceTimersByTimeAsync(FINAL_FLUSH_DEADLINE_MS - 1);
    expect(closed).toBe(false);

    await jest.advanceTimersByTimeAsync(1);
    await closing;
    expect(metrics.dropped.write_failed).toBe(5);
    expect(String(logError.mock.calls.at(-1)?.[0])).toContain('Gave up on 5 usage records at shutdown');
    // No retry goes on after giving up, and later records are counted, not buffered.
    const tries = repository.attempts.length;
    usage.record(record('late'));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(repository.attempts).toHaveLength(tries);
    expect(metrics.dropped.write_failed).toBe(6);
    await usage.flush();
  });

  it('the final flush waits out a short outage instead of dropping', async () => {
    repository.failuresLeft = 5; // ~3 s of retries, within the deadline
    const usage = writer({});
    ids('r', 3).forEach((id) => usage.record(record(id)));
    const closing = usage.close();
    await jest.advanceTimersByTimeAsync(FINAL_FLUSH_DEADLINE_MS);
    await closing;
    expect(repository.written).toEqual(ids('r', 3));
    expect(metrics.dropped.write_failed).toBe(0);
  });
});

describe('UsageWriter timer', () => {
  it('does not keep the process alive while records wait', async () => {
    const setTimer = jest.spyOn(global, 'setTimeout');
    const base = buildConfig({});
    const usage = new UsageWriter(new FakeRepository(), new FakeMetrics(), { ...base, usage: { ...base.usage, flushIntervalMs: 60_000 } });
    usage.record(record('a'));
    const timer = setTimer.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await usage.close();
    setTimer.mockRestore();
  });
});
