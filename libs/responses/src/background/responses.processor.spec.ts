import { buildConfig } from '@app/config';
import { JobName } from '@app/queue';
import type { ResponsesRepository } from '@app/storage';
import type { BackgroundResponseRun } from './background-response-run';
import { RESPONSES_RETENTION_SCHEDULE_ID, ResponsesProcessor, STALE_RESPONSES_SCHEDULE_ID } from './responses.processor';
import type { StaleResponseSweeper } from './stale-response-sweeper';

function processor(env: Record<string, string> = {}) {
  const deleteOlderThan = jest.fn().mockResolvedValue(3);
  const instance = new ResponsesProcessor({} as BackgroundResponseRun, {} as StaleResponseSweeper, { deleteOlderThan } as unknown as ResponsesRepository, buildConfig(env));
  return { instance, deleteOlderThan };
}

describe('ResponsesProcessor retention', () => {
  it('schedules the stale sweep and an hourly retention job by default (30 days)', () => {
    const schedules = processor().instance.schedules();
    expect(schedules.map((schedule) => schedule.id)).toEqual([STALE_RESPONSES_SCHEDULE_ID, RESPONSES_RETENTION_SCHEDULE_ID]);
    expect(schedules[1]).toMatchObject({ name: JobName.ResponsesRetention, everyMs: 3_600_000, data: { retentionDays: 30 } });
  });

  it('schedules no retention when RESPONSES_RETENTION_DAYS is 0', () => {
    expect(
      processor({ RESPONSES_RETENTION_DAYS: '0' })
        .instance.schedules()
        .map((schedule) => schedule.id),
    ).toEqual([STALE_RESPONSES_SCHEDULE_ID]);
  });

  it('deletes responses created before now minus the retention', async () => {
    const { instance, deleteOlderThan } = processor();
    const before = Date.now();
    const result = await instance.process({ id: 'j1', name: JobName.ResponsesRetention, data: { retentionDays: 7 }, attempt: 1 });
    expect(result).toMatchObject({ deleted: 3 });
    const cutoff = (deleteOlderThan.mock.calls[0][0] as Date).getTime();
    expect(cutoff).toBeGreaterThanOrEqual(before - 7 * 86_400_000);
    expect(cutoff).toBeLessThanOrEqual(Date.now() - 7 * 86_400_000);
  });

  it('keeps everything for a job scheduled with 0 days, and rejects a malformed payload', async () => {
    const { instance, deleteOlderThan } = processor();
    await expect(instance.process({ id: 'j2', name: JobName.ResponsesRetention, data: { retentionDays: 0 }, attempt: 1 })).resolves.toEqual({ deleted: 0 });
    await expect(instance.process({ id: 'j3', name: JobName.ResponsesRetention, data: { retentionDays: -1 }, attempt: 1 })).rejects.toThrow(/retentionDays/);
    expect(deleteOlderThan).not.toHaveBeenCalled();
  });
});
