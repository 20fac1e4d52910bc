import { fromAnthropicBatch, fromOpenAIBatch } from './native-snapshot';

describe('fromOpenAIBatch', () => {
  it('keeps running statuses and counts', () => {
    expect(fromOpenAIBatch({ status: 'in_progress', request_counts: { total: 3, completed: 1, failed: 1 } })).toEqual({ status: 'in_progress', completed: 1, failed: 1 });
    expect(fromOpenAIBatch({ status: 'finalizing', request_counts: null })).toEqual({ status: 'in_progress', completed: 0, failed: 0 });
    expect(fromOpenAIBatch({ status: 'something_new' }).status).toBe('in_progress');
  });

  it('reports the end with the provider file ids and a failed batch with its errors', () => {
    expect(fromOpenAIBatch({ status: 'completed', output_file_id: 'file-o', error_file_id: null, request_counts: { completed: 2, failed: 0 } })).toMatchObject({
      ended: 'completed',
      outputFileId: 'file-o',
      errorFileId: null,
    });
    const errors = [{ code: 'invalid_request', message: 'bad', param: null, line: 1 }];
    expect(fromOpenAIBatch({ status: 'failed', errors: { object: 'list', data: errors } })).toMatchObject({ status: 'failed', ended: 'failed', errors });
    expect(fromOpenAIBatch({ status: 'cancelled' }).ended).toBe('cancelled');
    expect(fromOpenAIBatch({ status: 'expired' }).ended).toBe('expired');
  });
});

describe('fromAnthropicBatch', () => {
  const counts = (processing: number, succeeded: number, errored: number, canceled: number, expired: number) => ({ processing, succeeded, errored, canceled, expired });

  it('maps in_progress and canceling, succeeded/errored as completed/failed', () => {
    expect(fromAnthropicBatch({ processing_status: 'in_progress', request_counts: counts(2, 1, 1, 0, 0) })).toEqual({ status: 'in_progress', completed: 1, failed: 1 });
    expect(fromAnthropicBatch({ processing_status: 'canceling', request_counts: counts(2, 0, 0, 0, 0) }).status).toBe('cancelling');
  });

  it('maps ended to completed, cancelled or expired by its counts', () => {
    expect(fromAnthropicBatch({ processing_status: 'ended', request_counts: counts(0, 3, 1, 0, 0) })).toEqual({ status: 'completed', ended: 'completed', completed: 3, failed: 1 });
    expect(fromAnthropicBatch({ processing_status: 'ended', request_counts: counts(0, 1, 0, 2, 0) }).ended).toBe('cancelled');
    expect(fromAnthropicBatch({ processing_status: 'ended', cancel_initiated_at: '2024-08-20T18:37:24Z', request_counts: counts(0, 3, 0, 0, 0) }).ended).toBe('cancelled');
    expect(fromAnthropicBatch({ processing_status: 'ended', request_counts: counts(0, 1, 0, 0, 2) }).ended).toBe('expired');
  });
});
