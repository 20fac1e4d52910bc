import type Redis from 'ioredis';
import { TurnBatches } from './turn-batches';

type Reply = [Error | null, unknown];
type Args = (string | number)[];

/**
 * A client with two batch commands, `first` and `second`, whose lone calls answer one reply per
 * batched call (`<command>:<keys of the call>`), and pipelines whose exec answers `replies`.
 */
function fakeClient(replies: (commands: [string, Args][]) => Promise<Reply[] | null> = async () => []) {
  const alone: [string, Args][] = [];
  const pipelines: [string, Args][][] = [];
  const echo = (command: string) =>
    jest.fn(async (...args: Args) => {
      alone.push([command, args]);
      return perCall(command, args);
    });
  const client = {
    first: echo('first'),
    second: echo('second'),
    pipeline: () => {
      const commands: [string, Args][] = [];
      pipelines.push(commands);
      const pipeline = {
        first: (...args: Args) => commands.push(['first', args]),
        second: (...args: Args) => commands.push(['second', args]),
        exec: () => replies(commands),
      };
      return pipeline;
    },
  };
  return { client: client as unknown as Redis, alone, pipelines, raw: client };
}

/** What a batch script answers: per call, the command and the call's keys. */
function perCall(command: string, args: Args): string[] {
  const keyCount = Number(args[0]);
  const keys = args.slice(1, 1 + keyCount);
  const rest = args.slice(1 + keyCount);
  const replies: string[] = [];
  let key = 0;
  for (let at = 1, call = 0; call < Number(rest[0]); call++) {
    const [callKeys, callArgs] = [Number(rest[at]), Number(rest[at + 1])];
    replies.push(`${command}:${keys.slice(key, key + callKeys).join('+')}`);
    key += callKeys;
    at += 2 + callArgs;
  }
  return replies;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Calls made from separate callbacks of the same turn, as several requests' admits would be. */
function inOneTurn(calls: (() => Promise<unknown>)[]): Promise<Promise<unknown>[]> {
  return new Promise((resolve) => {
    const promises: Promise<unknown>[] = [];
    calls.forEach((call, index) =>
      setImmediate(() => {
        promises.push(call());
        if (index === calls.length - 1) resolve(promises);
      }),
    );
  });
}

describe('TurnBatches', () => {
  it("sends one command's calls of a turn as one call of the batch script, each caller getting its own reply", async () => {
    const { client, alone, pipelines } = fakeClient();
    const batches = new TurnBatches(client, ['first', 'second']);
    const sent = await inOneTurn([() => batches.send('first', ['a', 'b'], [1, 'x']), () => batches.send('first', [], []), () => batches.send('first', ['c'], [2])]);
    expect(await Promise.all(sent)).toEqual(['first:a+b', 'first:', 'first:c']);
    // numkeys, all keys, number of calls, then per call: key count, argument count, arguments.
    expect(alone).toEqual([['first', [3, 'a', 'b', 'c', 3, 2, 2, 1, 'x', 0, 0, 1, 1, 2]]]);
    expect(pipelines).toHaveLength(0);
  });

  it('sends the commands of one turn in one pipeline, in the constructor order', async () => {
    const { client, alone, pipelines } = fakeClient(async (commands) => commands.map(([command, args]) => [null, perCall(command, args)]));
    const batches = new TurnBatches(client, ['first', 'second']);
    const sent = await inOneTurn([() => batches.send('second', ['s'], []), () => batches.send('first', ['f'], [])]);
    expect(await Promise.all(sent)).toEqual(['second:s', 'first:f']);
    expect(pipelines.map((commands) => commands.map(([command]) => command))).toEqual([['first', 'second']]);
    expect(alone).toHaveLength(0);
  });

  it('rejects the callers of a failed command only', async () => {
    const failure = new Error('ERR script failed');
    const { client } = fakeClient(async (commands) => commands.map(([command, args]) => (command === 'first' ? [failure, null] : [null, perCall(command, args)])));
    const batches = new TurnBatches(client, ['first', 'second']);
    const sent = await inOneTurn([() => batches.send('first', ['f'], []), () => batches.send('second', ['s'], [])]);
    expect(await Promise.allSettled(sent)).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 'second:s' },
    ]);
  });

  it('starts a new batch in the next turn', async () => {
    const { client, alone } = fakeClient();
    const batches = new TurnBatches(client, ['first']);
    const first = batches.send('first', ['x'], []);
    await nextTurn();
    const second = batches.send('first', ['y'], []);
    await Promise.all([first, second]);
    expect(alone.map(([, args]) => args[1])).toEqual(['x', 'y']);
  });

  it('rejects every caller when the pipeline fails as a whole, or a reply is missing or the wrong size', async () => {
    const down = new Error('Connection is closed.');
    const failing = new TurnBatches(fakeClient(() => Promise.reject(down)).client, ['first', 'second']);
    const outcomes = await Promise.allSettled(await inOneTurn([() => failing.send('first', [], []), () => failing.send('second', [], [])]));
    expect(outcomes).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);

    const empty = new TurnBatches(fakeClient(async () => null).client, ['first', 'second']);
    const missing = await Promise.allSettled(await inOneTurn([() => empty.send('first', [], []), () => empty.send('second', [], [])]));
    expect(missing.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);

    const { client, raw } = fakeClient();
    raw.first.mockImplementationOnce(async () => ['only one']);
    const short = new TurnBatches(client, ['first']);
    const answers = await Promise.allSettled([short.send('first', [], []), short.send('first', [], [])]);
    expect(answers.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('hands a synchronous throw to the callers instead of throwing in setImmediate, and refuses an unknown command', async () => {
    const { client, raw } = fakeClient();
    const broken = new Error('bad arguments');
    raw.first.mockImplementationOnce(() => {
      throw broken;
    });
    const batches = new TurnBatches(client, ['first']);
    await expect(batches.send('first', [], [])).rejects.toBe(broken);
    await expect(batches.send('third', [], [])).rejects.toThrow('unknown command third');
  });
});
