import type { JobEvent, QueueCounts, QueueMonitor } from '@app/queue';

/** A QueueMonitor the unit tests drive by hand: events, counts and consumer state. */
export class FakeQueueMonitor implements QueueMonitor {
  isConsuming = true;
  nextCounts: () => Promise<QueueCounts[]> = () => Promise.resolve([]);
  private readonly listeners: ((event: JobEvent) => void)[] = [];

  consuming(): boolean {
    return this.isConsuming;
  }

  counts(): Promise<QueueCounts[]> {
    return this.nextCounts();
  }

  onJobEvent(listener: (event: JobEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
