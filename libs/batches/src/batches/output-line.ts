import type { BatchItemResult } from '@app/storage';

/** The id of an item's request, unique and stable across retries and takeovers. */
export function itemRequestId(batchId: string, position: number): string {
  return `batch_req_${batchId.replace(/^batch_/, '')}_${position}`;
}

/** OpenAI's output/error file line: `{id, custom_id, response: {status_code, request_id, body}, error}`. */
export function outputLine(batchId: string, item: BatchItemResult): Record<string, unknown> {
  const id = itemRequestId(batchId, item.position);
  const response = item.statusCode === null ? null : { status_code: item.statusCode, request_id: item.upstreamRequestId ?? id, body: item.response };
  const error =
    item.error ??
    (item.status === 'cancelled' || item.status === 'expired' ? { code: `batch_${item.status}`, message: `This request was not run: the batch was ${item.status}.` } : null);
  return { id, custom_id: item.customId, response, error };
}
