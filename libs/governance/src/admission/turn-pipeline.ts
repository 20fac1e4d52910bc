import type Redis from 'ioredis';

type Command = (...args: (string | number)[]) => Promise<unknown>;

interface Queued {
  readonly command: string;
  readonly args: (string | number)[];
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sends the commands issued during one turn of the event loop to Redis together, as one pipeline
 * (one socket write and, mostly, one read) at the end of the turn (setImmediate). On a machine
 * where a socket write costs tens of microseconds, that is what a governed request's overhead is
 * made of under load. A command alone in its turn goes as a plain command, in the same loop
 * iteration (the check phase right after the I/O callbacks), so an idle gateway adds no timer
 * delay. Each caller gets its own reply or error.
 *
 * Not ioredis's enableAutoPipelining: that flushes on process.nextTick, i.e. after the callback
 * that issued the command, so two requests' commands (issued from two socket callbacks of the same
 * poll phase) never share a write; and it would apply to every user of the shared connection.
 */
export class TurnPipeline {
  private queue: Queued[] = [];

  constructor(private readonly client: Redis) {}

  send<T>(command: string, args: (string | number)[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.push({ command, args, resolve: resolve as (reply: unknown) => void, reject }) === 1) setImmediate(this.flush);
    });
  }

  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    try {
      if (batch.length === 1) this.sendAlone(batch[0]);
      else this.sendTogether(batch);
    } catch (error) {
      // A synchronous throw here would be uncaught (we run in setImmediate): hand it to the callers.
      for (const { reject } of batch) reject(error);
    }
  };

  private sendAlone({ command, args, resolve, reject }: Queued): void {
    void (this.client as unknown as Record<string, Command>)[command](...args).then(resolve, reject);
  }

  private sendTogether(batch: Queued[]): void {
    // A pipeline's command methods queue and return the pipeline; exec() sends them.
    const pipeline = this.client.pipeline() as unknown as Record<string, (...args: (string | number)[]) => unknown> & ReturnType<Redis['pipeline']>;
    for (const { command, args } of batch) pipeline[command](...args);
    void pipeline.exec().then(
      (results) =>
        batch.forEach(({ resolve, reject }, index) => {
          const [error, reply] = results?.[index] ?? [new Error('Redis pipeline returned no reply')];
          if (error) reject(error);
          else resolve(reply);
        }),
      (error: unknown) => batch.forEach(({ reject }) => reject(error)),
    );
  }
}
