import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of a request carries; the gateway's pipeline sets it once per request. */
export interface RequestContext {
  readonly requestId: string;
}

/**
 * The request a piece of code runs for. The pipeline enters it once (`requestContext.run`) and
 * the logger reads it, so providers, storage and every lib log the request id without passing it.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();
