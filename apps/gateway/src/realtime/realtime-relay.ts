import WebSocket from 'ws';
import { CLOSE, closeReason, relayedCloseCode } from './realtime-close';

export type Leg = 'client' | 'upstream';

/** How a session ended: who closed first, with which code and reason. */
export interface RelayEnding {
  readonly by: Leg | 'gateway';
  readonly code: number;
  readonly reason: string;
}

export interface RelayLimits {
  readonly maxSessionMs: number;
  readonly idleTimeoutMs: number;
  readonly pingIntervalMs: number;
}

/** Told what the relay sees; called synchronously, so it must stay cheap. */
export interface RelayObserver {
  /** A text frame from the upstream, before it is relayed (the session reads usage from the few it looks for). */
  serverText(frame: Buffer): void;
  /** Every ping interval, for metrics. */
  tick(): void;
  /** Both legs have closed; once. */
  ended(ending: RelayEnding): void;
}

/**
 * Above this many bytes waiting on the receiving leg, the sending leg stops being read until they
 * are written out: what the gateway holds per direction is this, plus the frame in hand (at most
 * REALTIME_MAX_FRAME), however slow the other peer is.
 */
const HIGH_WATER_BYTES = 1024 * 1024;
/** After a close frame is sent, the peer has this long to answer it before its socket is cut. */
const CLOSE_GRACE_MS = 5_000;

/** Index into the counters: direction (client→upstream 0, upstream→client 2) + binary (1). */
export const SLOT = { clientText: 0, clientBinary: 1, upstreamText: 2, upstreamBinary: 3 } as const;

/**
 * Relays frames between a client WebSocket and its upstream, unchanged (text stays text, binary
 * stays binary), with backpressure both ways, the close of either side passed on to the other,
 * ping/pong on both legs, an idle timeout and a maximum session duration. One interval timer and
 * one timeout per session; nothing per frame beyond a few counters.
 */
export class RealtimeRelay {
  /** Frames and bytes per SLOT since the last `takeCounts()`. */
  readonly frames = [0, 0, 0, 0];
  readonly bytes = [0, 0, 0, 0];
  private ending?: RelayEnding;
  private openLegs = 2;
  private readonly alive: Record<Leg, boolean> = { client: true, upstream: true };
  private activity = 0;
  private seenActivity = 0;
  private idleMs = 0;
  private interval?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;

  constructor(
    private readonly client: WebSocket,
    private readonly upstream: WebSocket,
    private readonly limits: RelayLimits,
    private readonly observer: RelayObserver,
  ) {}

  start(): void {
    this.pipe(this.client, this.upstream, 'client', SLOT.clientText);
    this.pipe(this.upstream, this.client, 'upstream', SLOT.upstreamText);
    this.watchClose(this.client, 'client', this.upstream, CLOSE.goingAway, 'client connection lost');
    this.watchClose(this.upstream, 'upstream', this.client, CLOSE.internal, 'upstream connection lost');
    this.interval = setInterval(() => this.check(), this.limits.pingIntervalMs);
    this.deadline = setTimeout(() => this.end(CLOSE.policy, 'maximum session duration reached'), this.limits.maxSessionMs);
    // Both legs were paused while the upstream was being dialled: what they sent meanwhile flows now.
    if (this.client.isPaused) this.client.resume();
    if (this.upstream.isPaused) this.upstream.resume();
  }

  /** Closes both legs with this code and reason (limits, shutdown); later closes are no-ops. */
  end(code: number, reason: string): void {
    if (this.ending) return;
    this.ending = { by: 'gateway', code, reason };
    closeLeg(this.client, code, reason);
    closeLeg(this.upstream, code, reason);
  }

  private pipe(from: WebSocket, to: WebSocket, leg: Leg, base: number): void {
    const observer = this.observer;
    from.on('message', (data: Buffer, binary: boolean) => {
      this.activity++;
      this.alive[leg] = true;
      const slot = binary ? base + 1 : base;
      this.frames[slot]++;
      this.bytes[slot] += data.length;
      if (leg === 'upstream' && !binary) observer.serverText(data);
      if (to.readyState !== WebSocket.OPEN) return;
      if (to.bufferedAmount + data.length <= HIGH_WATER_BYTES) {
        to.send(data, { binary });
        return;
      }
      // The other side is not keeping up: stop reading this side until this frame is written out.
      from.pause();
      to.send(data, { binary }, () => {
        if (from.readyState === WebSocket.OPEN) from.resume();
      });
    });
    from.on('pong', () => (this.alive[leg] = true));
  }

  private watchClose(socket: WebSocket, leg: Leg, other: WebSocket, fallbackCode: number, fallbackReason: string): void {
    // `ws` closes the leg itself on protocol errors (1002, 1007, 1009 for an oversized frame); `close` follows.
    socket.on('error', () => undefined);
    socket.once('close', (code: number, reason: Buffer) => {
      const text = reason.toString('utf8');
      this.ending ??= { by: leg, code, reason: text };
      const relayed = relayedCloseCode(code, fallbackCode);
      closeLeg(other, relayed, relayed === code ? text : fallbackReason);
      if (--this.openLegs === 0) this.finish();
    });
  }

  /** Every ping interval: a leg that answered nothing since the last ping is dead; a session without frames for too long is idle. */
  private check(): void {
    for (const [leg, socket, other] of [
      ['client', this.client, this.upstream],
      ['upstream', this.upstream, this.client],
    ] as const) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (!this.alive[leg]) {
        this.ending ??= { by: 'gateway', code: leg === 'client' ? CLOSE.goingAway : CLOSE.internal, reason: `${leg} did not answer ping` };
        closeLeg(other, this.ending.code, this.ending.reason);
        socket.terminate();
        return;
      }
      this.alive[leg] = false;
      socket.ping();
    }
    this.idleMs = this.activity === this.seenActivity ? this.idleMs + this.limits.pingIntervalMs : 0;
    this.seenActivity = this.activity;
    if (this.idleMs >= this.limits.idleTimeoutMs) this.end(CLOSE.policy, `idle for ${Math.round(this.idleMs / 1000)} s`);
    this.observer.tick();
  }

  private finish(): void {
    clearInterval(this.interval);
    clearTimeout(this.deadline);
    this.observer.ended(this.ending!);
  }
}

/** Sends a close frame (none with a code for 1005) and cuts the socket if the peer does not answer in time. */
export function closeLeg(socket: WebSocket, code: number | undefined, reason: string): void {
  if (socket.readyState === WebSocket.CONNECTING) {
    socket.terminate();
    return;
  }
  if (socket.readyState !== WebSocket.OPEN) return;
  // A paused leg would never read the peer's answering close frame.
  if (socket.isPaused) socket.resume();
  if (code === undefined) socket.close();
  else socket.close(code, closeReason(reason));
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}
