import type Redis from 'ioredis';

type Command = (...args: (string | number)[]) => Promise<unknown>;

interface Call {
  readonly keys: readonly string[];
  readonly args: readonly (string | number)[];
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the calls made during one turn of the event loop and sends each command's calls to
 * Redis as ONE script call (a batch script: see governance-scripts.ts's `batchOf`), all commands
 * in one write, at the end of the turn (setImmediate). Each caller gets its own part of the reply.
 *
 * Why: what a governed request costs the gateway under load is mostly per Redis command (the
 * client's command object, serialisation, promise and reply handling, and the socket writes), not
 * per argument. A busy replica issues several admits and settles per turn; sending them as two
 * commands instead of two per request is what keeps admission cheap. A lone call in an idle
 * gateway goes out in the same loop iteration (the check phase right after the I/O callbacks), so
 * it waits for no timer.
 *
 * Commands are sent in the order given to the constructor (settles before admits, so a slot freed
 * in a turn is free for an admit of the same turn). The calls of one command run in the order they
 * were made. A failed command rejects all its callers (the policy then fails open or closed).
 *
 * Not ioredis's enableAutoPipelining: it flushes on process.nextTick, i.e. after the callback that
 * issued the command, so two requests' commands (from two socket callbacks of the same poll phase)
 * never share a write; it sends one command per call; and it applies to every user of the shared
 * connection.
 */
export class TurnBatches {
  private readonly queues = new Map<string, Call[]>();
  private scheduled = false;

  /** `commands`: the defined batch commands, in the order a turn sends them. */
  constructor(
    private readonly client: Redis,
    commands: readonly string[],
  ) {
    for (const command of commands) this.queues.set(command, []);
  }

  /** Queues one call of `command` (its own keys and arguments); resolves to its own reply. */
  send<T>(command: string, keys: readonly string[], args: readonly (string | number)[]): Promise<T> {
    const queue = this.queues.get(command);
    if (queue === undefined) return Promise.reject(new Error(`TurnBatches: unknown command ${command}`));
    return new Promise<T>((resolve, reject) => {
      queue.push({ keys, args, resolve: resolve as (reply: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batches: [string, Call[]][] = [];
    for (const [command, calls] of this.queues) {
      if (calls.length === 0) continue;
      batches.push([command, calls]);
      this.queues.set(command, []);
    }
    try {
      if (batches.length === 1) this.sendAlone(batches[0]);
      else this.sendTogether(batches);
    } catch (error) {
      // A synchronous throw here would be uncaught (we run in setImmediate): hand it to the callers.
      for (const [, calls] of batches) for (const { reject } of calls) reject(error);
    }
  };

  private sendAlone([command, calls]: [string, Call[]]): void {
    const run = (this.client as unknown as Record<string, Command>)[command];
    void run.apply(this.client, batchArguments(calls)).then(
      (reply) => answer(calls, reply),
      (error: unknown) => calls.forEach(({ reject }) => reject(error)),
    );
  }

  private sendTogether(batches: [string, Call[]][]): void {
    // A pipeline's command methods queue and return the pipeline; exec() sends them in one write.
    const pipeline = this.client.pipeline() as unknown as Record<string, (...args: (string | number)[]) => unknown> & ReturnType<Redis['pipeline']>;
    for (const [command, calls] of batches) pipeline[command](...batchArguments(calls));
    void pipeline.exec().then(
      (results) =>
        batches.forEach(([, calls], index) => {
          const [error, reply] = results?.[index] ?? [new Error('Redis pipeline returned no reply')];
          if (error) calls.forEach(({ reject }) => reject(error));
          else answer(calls, reply);
        }),
      (error: unknown) => batches.forEach(([, calls]) => calls.forEach(({ reject }) => reject(error))),
    );
  }
}

/** numkeys, every call's keys, then the number of calls and, per call, its key count, argument count and arguments. */
function batchArguments(calls: readonly Call[]): (string | number)[] {
  // Written into one array in two passes: gathering keys and arguments apart and joining them
  // copied every argument of the turn once more.
  const out: (string | number)[] = [0];
  for (const call of calls) for (const key of call.keys) out.push(key);
  out[0] = out.length - 1;
  out.push(calls.length);
  for (const call of calls) {
    out.push(call.keys.length, call.args.length);
    for (const arg of call.args) out.push(arg);
  }
  return out;
}

/** The batch's reply holds one reply per call, in order. */
function answer(calls: readonly Call[], reply: unknown): void {
  if (!Array.isArray(reply) || reply.length !== calls.length) {
    const error = new Error(`Redis batch replied ${Array.isArray(reply) ? reply.length : typeof reply} for ${calls.length} calls`);
    for (const { reject } of calls) reject(error);
    return;
  }
  calls.forEach(({ resolve }, index) => resolve(reply[index]));
}
