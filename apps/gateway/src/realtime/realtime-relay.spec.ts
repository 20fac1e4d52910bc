import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { RealtimeRelay, type RelayEnding, type RelayLimits } from './realtime-relay';

const MIB = 1024 * 1024;
const LIMITS: RelayLimits = { maxSessionMs: 60_000, idleTimeoutMs: 60_000, pingIntervalMs: 60_000 };

/** A connected pair: the peer's socket and the gateway's end of it. */
async function pair(): Promise<{ peer: WebSocket; gatewaySide: WebSocket; close: () => void }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 64 * MIB });
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const peer = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxPayload: 64 * MIB });
  const gatewaySide = await accepted;
  await new Promise((resolve) => (peer.readyState === WebSocket.OPEN ? resolve(null) : peer.once('open', resolve)));
  return { peer, gatewaySide, close: () => server.close() };
}

describe('RealtimeRelay', () => {
  let client: Awaited<ReturnType<typeof pair>>;
  let upstream: Awaited<ReturnType<typeof pair>>;
  let ended: Promise<RelayEnding>;
  let relay: RealtimeRelay;

  beforeEach(async () => {
    client = await pair();
    upstream = await pair();
  });

  afterEach(() => {
    for (const socket of [client.peer, client.gatewaySide, upstream.peer, upstream.gatewaySide]) socket.terminate();
    client.close();
    upstream.close();
  });

  function start(limits = LIMITS, serverText: (frame: Buffer) => void = () => undefined): void {
    let resolveEnded!: (ending: RelayEnding) => void;
    ended = new Promise((resolve) => (resolveEnded = resolve));
    relay = new RealtimeRelay(client.gatewaySide, upstream.gatewaySide, limits, { serverText, tick: () => undefined, ended: (ending) => resolveEnded(ending) });
    relay.start();
  }

  it('stops reading the upstream while the client is slow, holding at most ~1 MiB plus a frame, and delivers everything in order', async () => {
    start();
    client.peer.pause();
    const frames = 48;
    for (let index = 0; index < frames; index++) upstream.peer.send(Buffer.alloc(MIB, index), { binary: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The gateway's send buffer towards the client stays bounded; the rest waits on the upstream's side.
    expect(client.gatewaySide.bufferedAmount).toBeLessThanOrEqual(3 * MIB);
    expect(upstream.peer.bufferedAmount).toBeGreaterThan(4 * MIB);
    const received: number[] = [];
    const all = new Promise<void>((resolve) =>
      client.peer.on('message', (data: Buffer, binary: boolean) => {
        expect(binary).toBe(true);
        received.push(data[0]);
        if (received.length === frames) resolve();
      }),
    );
    client.peer.resume();
    await all;
    expect(received).toEqual([...Array(frames).keys()]);
    expect(relay.frames[3]).toBe(frames);
  }, 20_000);

  it('keeps text frames text, shows the upstream text frames to the observer, and counts bytes', async () => {
    const seen: string[] = [];
    start(LIMITS, (frame) => seen.push(frame.toString()));
    const got = new Promise<{ data: string; binary: boolean }>((resolve) =>
      client.peer.once('message', (data: Buffer, binary: boolean) => resolve({ data: data.toString(), binary })),
    );
    upstream.peer.send('{"type":"session.created"}');
    expect(await got).toEqual({ data: '{"type":"session.created"}', binary: false });
    expect(seen).toEqual(['{"type":"session.created"}']);
    expect(relay.bytes[2]).toBe(26);
  });

  it("closes the upstream with the client's code and reason", async () => {
    start();
    const upstreamClosed = new Promise<number>((resolve) => upstream.peer.once('close', (code) => resolve(code)));
    client.peer.close(4321, 'done');
    expect(await upstreamClosed).toBe(4321);
    expect(await ended).toEqual({ by: 'client', code: 4321, reason: 'done' });
  });

  it('closes the client with 1011 when the upstream vanishes without a close frame', async () => {
    start();
    const clientClosed = new Promise<[number, string]>((resolve) => client.peer.once('close', (code, reason) => resolve([code, reason.toString()])));
    upstream.peer.terminate();
    expect(await clientClosed).toEqual([1011, 'upstream connection lost']);
  });

  it('closes both legs with 1008 when the session is idle', async () => {
    start({ maxSessionMs: 60_000, idleTimeoutMs: 100, pingIntervalMs: 50 });
    const codes = Promise.all([client.peer, upstream.peer].map((peer) => new Promise<number>((resolve) => peer.once('close', (code) => resolve(code)))));
    expect(await codes).toEqual([1008, 1008]);
    expect((await ended).by).toBe('gateway');
  });
});
