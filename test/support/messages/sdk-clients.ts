import Anthropic from '@anthropic-ai/sdk';
import AnthropicLegacy from 'anthropic-sdk-legacy';
import { TEST_MASTER_KEY } from '../gateway-harness';

/** One request as the SDK put it on the wire. */
export interface SentRequest {
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
}

/** The surface of both SDK majors the suites use; their types differ in detail, their calls do not. */
export type AnthropicClient = Anthropic;

export interface SdkUnderTest {
  readonly name: string;
  /** The `anthropic-version` the SDK sends. */
  readonly version: string;
  /** How it presents the key: 1.x as a Bearer token, 0.x as x-api-key. */
  readonly auth: 'bearer' | 'x-api-key';
  create(baseURL: string, apiKey?: string): { client: AnthropicClient; sent: SentRequest[] };
  /** True when `error` is an instance of the SDK's own error class of that name (RateLimitError …). */
  isTyped(error: unknown, className: string): boolean;
}

/** A fetch that records what the SDK sends before sending it, to check auth and body bytes. */
function recordingFetch(sent: SentRequest[]): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: input instanceof Request ? input.url : String(input), headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? init.body : '' });
    return fetch(input, init);
  };
}

/** `@anthropic-ai/sdk` 1.x and 0.x (installed as anthropic-sdk-legacy), as applications use them. */
export const SDKS: SdkUnderTest[] = [
  {
    name: '@anthropic-ai/sdk 1.x',
    version: '2026-10-21',
    auth: 'bearer',
    create(baseURL, apiKey = TEST_MASTER_KEY) {
      const sent: SentRequest[] = [];
      return { client: new Anthropic({ apiKey, baseURL, maxRetries: 0, fetch: recordingFetch(sent) }), sent };
    },
    isTyped: (error, className) => error instanceof (Anthropic as unknown as Record<string, new () => unknown>)[className],
  },
  {
    name: '@anthropic-ai/sdk 0.x',
    version: '2023-06-01',
    auth: 'x-api-key',
    create(baseURL, apiKey = TEST_MASTER_KEY) {
      const sent: SentRequest[] = [];
      const client = new AnthropicLegacy({ apiKey, baseURL, maxRetries: 0, fetch: recordingFetch(sent) });
      return { client: client as unknown as AnthropicClient, sent };
    },
    isTyped: (error, className) => error instanceof (AnthropicLegacy as unknown as Record<string, new () => unknown>)[className],
  },
];

/** The API error an SDK call rejected with (both majors expose status and the envelope as `error`). */
export async function apiError(call: Promise<unknown>): Promise<{ status?: number; error: any; requestID?: string | null; name: string }> {
  try {
    await call;
  } catch (error) {
    return error as { status?: number; error: any; requestID?: string | null; name: string };
  }
  throw new Error('expected the SDK call to fail');
}
