import { Injectable } from '@nestjs/common';

/** Counts requests in flight (streams included) so shutdown can wait for them to finish. */
@Injectable()
export class RequestTracker {
  private inFlight = 0;

  get count(): number {
    return this.inFlight;
  }

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight--;
  }
}
