/** The abort reason of a cancelled background response. */
export class CancelledError extends Error {
  constructor(readonly responseId: string) {
    super(`Response ${responseId} was cancelled.`);
    this.name = 'CancelledError';
  }
}
