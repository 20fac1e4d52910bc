import type Redis from 'ioredis';
import { TurnPipeline } from './turn-pipeline';

type Reply = [Error | null, unknown];

/** A client with one command, `echo`, sent alone, and pipelines whose exec answers `replies`. */
function fakeClient(replies: () => Promise<Reply[] | null> = async () => []) {
  const alone: unknown[][] = [];
  const pipelines: unknown[][][] = [];
  const client = {
    echo: jest.fn(async (...args: unknown[]) => {
      alone.push(args);
      return `alone:${args.join(',')}`;
    }),
    pipeline: () => {
      const commands: unknown[][] = [];
      pipelines.push(commands);
      return {
        echo: (...args: unknown[]) => commands.push(args),
        exec: replies,
      };
    },
  };
  return { client: client as unknown as Redis, alone, pipelines, raw: client };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnPipeline', () => {
  it('sends a command alone in its turn as a plain command, not a pipeline', async () => {
    const { client, alone, pipelines } = fakeClient();
    await expect(new TurnPipeline(client).send('echo', ['a', 1])).resolves.toBe('alone:a,1');
    expect(alone).toEqual([['a', 1]]);
    expect(pipelines).toHaveLength(0);
  });

  it("sends one turn's commands as one pipeline, each caller getting its own reply or error", async () => {
    const failure = new Error('ERR one script failed');
    const { client, alone, pipelines } = fakeClient(async () => [
      [null, 'first'],
      [failure, null],
      [null, 'third'],
    ]);
    const pipeline = new TurnPipeline(client);
    // Issued from three separate callbacks of the same turn, as three requests' admits would be.
    const sent = await new Promise<Promise<unknown>[]>((resolve) => {
      const promises: Promise<unknown>[] = [];
      setImmediate(() => promises.push(pipeline.send('echo', ['1'])));
      setImmediate(() => promises.push(pipeline.send('echo', ['2'])));
      setImmediate(() => {
        promises.push(pipeline.send('echo', ['3']));
        resolve(promises);
      });
    });
    const outcomes = await Promise.allSettled(sent);
    expect(pipelines).toEqual([[['1'], ['2'], ['3']]]);
    expect(alone).toHaveLength(0);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'first' },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 'third' },
    ]);
  });

  it('starts a new batch in the next turn', async () => {
    const { client, alone } = fakeClient();
    const pipeline = new TurnPipeline(client);
    const first = pipeline.send('echo', ['x']);
    await nextTurn();
    const second = pipeline.send('echo', ['y']);
    await Promise.all([first, second]);
    expect(alone).toEqual([['x'], ['y']]);
  });

  it('rejects every caller when the pipeline fails as a whole', async () => {
    const down = new Error('Connection is closed.');
    const { client } = fakeClient(() => Promise.reject(down));
    const pipeline = new TurnPipeline(client);
    const outcomes = await Promise.allSettled([pipeline.send('echo', ['1']), pipeline.send('echo', ['2'])]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
  });

  it('rejects a caller whose reply is missing rather than leaving it waiting', async () => {
    const { client } = fakeClient(async () => null);
    const pipeline = new TurnPipeline(client);
    const outcomes = await Promise.allSettled([pipeline.send('echo', ['1']), pipeline.send('echo', ['2'])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('hands a synchronous throw to the callers instead of throwing in setImmediate', async () => {
    const { client, raw } = fakeClient();
    const broken = new Error('bad arguments');
    raw.echo.mockImplementationOnce(() => {
      throw broken;
    });
    await expect(new TurnPipeline(client).send('echo', ['1'])).rejects.toBe(broken);
  });
});
