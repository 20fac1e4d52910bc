import { type MockDirectives, parseMockDirectives, parseMockDuration } from '@app/config';
import { GatewayError } from '@app/core';

/** What one mock call does: its model's directives over the MOCK_DIRECTIVES defaults. */
export type MockBehaviour = MockDirectives;

/** Statuses a real provider sends with a `Retry-After`; `fail-<status>` adds `Retry-After: 1` for them. */
const RETRY_LATER = new Set([429, 503, 529]);

/** Streams broken by `reset-mid-stream` end after this many events (role chunk + two content chunks). */
const DEFAULT_RESET_AFTER = 3;

/** The static inventory `GET /v1/models` lists; `fail-<status>` and `slow-<duration>` accept any value. */
export const MOCK_MODELS: readonly string[] = ['echo', 'tool', 'fail-400', 'fail-401', 'fail-429', 'fail-500', 'fail-503', 'slow-500ms', 'slow-2s', 'reset-mid-stream'];

const BASE_NAME = /^(?:echo|tool|reset-mid-stream|fail-\d{3}|slow-[0-9.]+(?:ms|s|m))$/i;

/** Whether a model id names a mock model (its directives are checked when it is called). */
export function isMockModel(model: string): boolean {
  return BASE_NAME.test(baseOf(model));
}

/**
 * Reads `<base>[;directive…]` (e.g. `fail-429`, `echo;ttft=100ms;tps=50`): the base name's
 * behaviour, then the directives written after it, over the configured defaults, then the
 * request's `x-mock-directive` header over all of them (so a test can vary one call without
 * renaming the model its config routes). A bad name is the client's 400 on `model`, a bad header
 * a 400 naming the header.
 */
export function mockBehaviour(model: string, defaults: MockDirectives, header?: string): MockBehaviour {
  let fromName: MockDirectives;
  try {
    const base = baseOf(model);
    if (!BASE_NAME.test(base)) throw new Error(`'${base}' is not a mock model (try echo, tool, fail-<status>, slow-<duration>, reset-mid-stream)`);
    fromName = { ...baseBehaviour(base.toLowerCase()), ...parseMockDirectives(model.slice(base.length)) };
  } catch (error) {
    throw GatewayError.invalidRequest(`Model '${model}': ${(error as Error).message}.`, 'model');
  }
  if (!header) return { ...defaults, ...fromName };
  try {
    return { ...defaults, ...fromName, ...parseMockDirectives(header) };
  } catch (error) {
    throw GatewayError.invalidRequest(`Header x-mock-directive: ${(error as Error).message}.`, 'x-mock-directive');
  }
}

function baseOf(model: string): string {
  const semicolon = model.indexOf(';');
  return (semicolon < 0 ? model : model.slice(0, semicolon)).trim();
}

function baseBehaviour(base: string): MockDirectives {
  if (base === 'tool') return { tool: true };
  if (base === 'reset-mid-stream') return { resetAfterEvents: DEFAULT_RESET_AFTER };
  if (base.startsWith('slow-')) return { latencyMs: parseMockDuration('slow', base.slice(5)) };
  if (base.startsWith('fail-')) {
    const status = Number(base.slice(5));
    if (status < 400 || status > 599) throw new Error(`fail-<status> takes an HTTP error status from 400 to 599, got ${status}`);
    return RETRY_LATER.has(status) ? { failStatus: status, retryAfterSeconds: 1 } : { failStatus: status };
  }
  return {};
}
