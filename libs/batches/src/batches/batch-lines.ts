import { GatewayError } from '@app/core';
import { type BatchEndpoint, MAX_BATCH_INPUT_BYTES, MAX_BATCH_LINES, MAX_REPORTED_LINE_ERRORS } from './batch-limits';

/** One request line of a batch input, checked against the batch's endpoint. */
export interface BatchLine {
  /** 0-based position among the input's request lines. */
  readonly position: number;
  /** 1-based line number in the input (blank lines skipped), as error reports name it. */
  readonly line: number;
  readonly customId: string;
  readonly body: Record<string, unknown>;
}

/** A malformed line, in OpenAI's `errors.data[]` shape (`line` is 1-based). */
export interface BatchLineError {
  readonly code: string;
  readonly message: string;
  readonly param: string | null;
  readonly line: number | null;
}

/** What reading an input produced: its lines, or the errors that fail the batch. */
export interface ParsedBatchInput {
  readonly lines: BatchLine[];
  readonly errors: BatchLineError[];
}

const tooMany = () => GatewayError.invalidRequest(`A batch may hold at most ${MAX_BATCH_LINES} requests.`, 'input_file_id', 'batch_too_many_requests');
const tooLarge = () => GatewayError.invalidRequest(`A batch input may be at most ${MAX_BATCH_INPUT_BYTES} bytes (200 MB).`, 'input_file_id', 'batch_input_too_large');

/**
 * Splits a JSONL stream into lines without holding more than one line beyond the current chunk,
 * throwing a 400 naming the limit once the input passes MAX_BATCH_INPUT_BYTES or MAX_BATCH_LINES.
 */
export async function* jsonlLines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let bytes = 0;
  let count = 0;
  let rest = '';
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > MAX_BATCH_INPUT_BYTES) throw tooLarge();
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      if (part.trim() === '') continue;
      if (++count > MAX_BATCH_LINES) throw tooMany();
      yield part;
    }
  }
  if (rest.trim() !== '') {
    if (count + 1 > MAX_BATCH_LINES) throw tooMany();
    yield rest;
  }
}

/** Validates raw lines (JSONL text or inline request objects) against `endpoint`, OpenAI's rules per line. */
export async function parseBatchInput(raw: AsyncIterable<unknown> | Iterable<unknown>, endpoint: BatchEndpoint): Promise<ParsedBatchInput> {
  const lines: BatchLine[] = [];
  const errors: BatchLineError[] = [];
  const seen = new Set<string>();
  let lineNumber = 0;
  for await (const entry of raw) {
    lineNumber++;
    const result = checkLine(entry, lineNumber, endpoint, seen);
    if ('code' in result) {
      if (errors.length < MAX_REPORTED_LINE_ERRORS) errors.push(result);
    } else {
      lines.push({ ...result, position: lines.length, line: lineNumber });
    }
  }
  if (lineNumber === 0) errors.push({ code: 'empty_file', message: 'The batch input contains no requests.', param: null, line: null });
  return { lines, errors };
}

function checkLine(entry: unknown, line: number, endpoint: BatchEndpoint, seen: Set<string>): Omit<BatchLine, 'position' | 'line'> | BatchLineError {
  const fail = (code: string, message: string, param: string | null = null): BatchLineError => ({ code, message, param, line });
  let value = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry);
    } catch {
      return fail('invalid_json_line', 'This line is not parseable as valid JSON.');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('invalid_json_line', 'Each line must be a JSON object.');
  const { custom_id: customId, method, url, body } = value as Record<string, unknown>;
  if (typeof customId !== 'string' || customId === '') return fail('missing_required_parameter', 'Missing required parameter: custom_id.', 'custom_id');
  if (customId.length > 512) return fail('invalid_value', 'custom_id may be at most 512 characters.', 'custom_id');
  if (seen.has(customId)) return fail('duplicate_custom_id', `The custom_id '${customId}' appears more than once; each must be unique within a batch.`, 'custom_id');
  seen.add(customId);
  if (method !== undefined && method !== 'POST') return fail('invalid_method', 'Only POST is supported for batch requests.', 'method');
  if (url !== endpoint) return fail('mismatched_endpoint', `The url of this line (${String(url)}) does not match the batch's endpoint ${endpoint}.`, 'url');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('missing_required_parameter', 'Missing required parameter: body (an object).', 'body');
  const model = (body as Record<string, unknown>).model;
  if (typeof model !== 'string' || model === '') return fail('missing_required_parameter', 'Missing required parameter: body.model.', 'body.model');
  if ((body as Record<string, unknown>).stream === true) return fail('invalid_value', 'Batch requests cannot stream.', 'body.stream');
  return { customId, body: body as Record<string, unknown> };
}
