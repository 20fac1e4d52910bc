import { Logger } from '@nestjs/common';
import { buildConfig } from '@app/config';
import { type JobContext, JobName, QueueName } from '@app/queue';
import type { UsageRepository } from './usage.repository';
import { UsageRetentionProcessor } from './usage-retention.processor';

class FakeRepository implements Pick<UsageRepository, 'deleteOlderThan'> {
  readonly cutoffs: Date[] = [];
  deleted = 42;

  async deleteOlderThan(cutoff: Date): Promise<number> {
    this.cutoffs.push(cutoff);
    return this.deleted;
  }
}

function job(data: unknown, name: string = JobName.UsageRetention): JobContext {
  return { id: 'job-1', name, data, attempt: 1 };
}

function processor(repository: FakeRepository, retentionDays = 90): UsageRetentionProcessor {
  return new UsageRetentionProcessor(repository, buildConfig({ USAGE_RETENTION_DAYS: String(retentionDays) }));
}

describe('UsageRetentionProcessor', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-05-10T08:30:00.000Z') });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('consumes the maintenance queue', () => {
    expect(processor(new FakeRepository()).queue).toBe(QueueName.Maintenance);
  });

  it('deletes records older than the job’s retention period', async () => {
    const repository = new FakeRepository();
    const result = await processor(repository).process(job({ retentionDays: 30 }));
    expect(repository.cutoffs).toEqual([new Date('2026-04-10T08:30:00.000Z')]);
    expect(result).toEqual({ deleted: 42, cutoff: '2026-04-10T08:30:00.000Z' });
  });

  it('deletes nothing when the job says keep forever (0 days)', async () => {
    const repository = new FakeRepository();
    expect(await processor(repository).process(job({ retentionDays: 0 }))).toEqual({ deleted: 0 });
    expect(repository.cutoffs).toEqual([]);
  });

  it('rejects unknown jobs and malformed payloads without deleting anything', async () => {
    const repository = new FakeRepository();
    const usage = processor(repository);
    await expect(usage.process(job({ retentionDays: 30 }, 'something-else'))).rejects.toThrow('Unknown job "something-else"');
    await expect(usage.process(job({ retentionDays: -1 }))).rejects.toThrow('Invalid retentionDays');
    await expect(usage.process(job({}))).rejects.toThrow('Invalid retentionDays');
    await expect(usage.process(job(null))).rejects.toThrow('Invalid retentionDays');
    expect(repository.cutoffs).toEqual([]);
  });

  it('schedules one hourly job with a fixed id and the configured retention', () => {
    expect(processor(new FakeRepository(), 14).schedules()).toEqual([
      { id: 'usage-retention-hourly', name: JobName.UsageRetention, everyMs: 3_600_000, data: { retentionDays: 14 } },
    ]);
  });

  it('schedules nothing when retention is 0 (keep forever)', () => {
    expect(processor(new FakeRepository(), 0).schedules()).toEqual([]);
  });
});
