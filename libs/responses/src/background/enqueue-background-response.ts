import { Logger } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { JobName, type JobQueue, QueueName, QueueUnavailableError } from '@app/queue';
import type { StoredResponse } from '@app/storage';
import type { ResponseStore } from '../engine/response-store';
import type { ResponseItem } from '../translate/response-types';

const logger = new Logger('BackgroundResponses');

/**
 * Stores a background response as queued and enqueues its job, all or nothing for the client:
 * the row goes first (the worker must find it), and when the job cannot be added the row is
 * deleted again, so a client answered 503 leaves no queued row that nothing will ever run.
 * A row that cannot be deleted either (database lost too) is failed later by the stale sweep.
 */
export async function enqueueBackgroundResponse(store: ResponseStore, jobs: JobQueue, response: StoredResponse, input: readonly ResponseItem[]): Promise<void> {
  await store.save(response, input);
  try {
    await jobs.add(QueueName.Responses, JobName.BackgroundResponse, { responseId: response.id }, { jobId: response.id });
  } catch (error) {
    await store
      .delete(response.id)
      .catch((deleteError: unknown) =>
        logger.warn({ msg: 'could not remove a background response whose job was not queued; the stale sweep will fail it', responseId: response.id, err: deleteError }),
      );
    if (!(error instanceof QueueUnavailableError)) throw error;
    logger.warn({ msg: 'background response refused: the job queue is unavailable', responseId: response.id, err: error.message });
    throw new GatewayError('unavailable', 'Background responses are unavailable right now: the job queue cannot be reached. Retry the request later.', {
      code: 'queue_unavailable',
      cause: error,
    });
  }
}
