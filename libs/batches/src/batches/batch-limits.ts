/** OpenAI's limits on one batch's input, which Switchyard keeps so clients see the same behaviour. */
export const MAX_BATCH_LINES = 50_000;
export const MAX_BATCH_INPUT_BYTES = 200 * 1024 * 1024;

/** Endpoints a batch may target, each line's `url` must equal the batch's `endpoint`. */
export const BATCH_ENDPOINTS = ['/v1/chat/completions', '/v1/embeddings', '/v1/responses', '/v1/messages'] as const;
export type BatchEndpoint = (typeof BATCH_ENDPOINTS)[number];

/** Per-line validation errors reported in a failed batch's `errors.data`, at most this many (OpenAI lists a bounded sample too). */
export const MAX_REPORTED_LINE_ERRORS = 1_000;
