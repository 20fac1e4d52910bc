import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { GatewayError, type TokenUsage } from '@app/core';
import type { FailoverRunner, ResolvedTarget, RoutePlan } from '@app/providers';
import type { Admission, AdmissionOutcome } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { CLOSE } from './realtime-close';
import { dialUpstream } from './realtime-dial';
import { observedEventOf, parseEvent, usageOf } from './realtime-frames';
import type { RealtimeMetrics } from './realtime-metrics';
import { closeLeg, RealtimeRelay, type RelayEnding, type RelayLimits, type RelayObserver } from './realtime-relay';
import type { RealtimeUsage } from './realtime-usage';

/** Where a session's upstream is: the plan's targets, and the URL and headers of each. */
export interface RealtimeRoute {
  readonly plan: RoutePlan;
  connection(target: ResolvedTarget): { readonly url: string; readonly headers: Record<string, string> };
}

/** What every session shares, handed over by the RealtimeService. */
export interface SessionContext {
  readonly admission: Admission;
  readonly failover: FailoverRunner;
  readonly usage: RealtimeUsage;
  readonly metrics: RealtimeMetrics;
  readonly limits: RelayLimits;
  readonly connectTimeoutMs: number;
  readonly maxFrameBytes: number;
  /** Called once when the session is over (both legs closed, or the upstream never opened). */
  readonly ended: (session: RealtimeSession, status: number) => void;
}

/**
 * One realtime session after its client's upgrade: dials the plan's upstream (retries, breaker
 * and failover as for any upstream call) while the client is paused, relays, and turns the
 * `response.done` events it spots into usage rows. Admission runs per response: the session was
 * admitted before the upgrade; each `response.done` settles that admission with the response's
 * usage and admits again for the next one, and a refusal closes the session (1008, the reason).
 */
export class RealtimeSession implements RelayObserver {
  private relay?: RealtimeRelay;
  private readonly dialing = new AbortController();
  private admissions: Promise<void> = Promise.resolve();
  private responseStartedAt?: number;
  private stopping = false;
  private over = false;

  constructor(
    readonly exchange: Exchange,
    private readonly route: RealtimeRoute,
    private readonly context: SessionContext,
  ) {}

  async start(client: WebSocket): Promise<void> {
    // Frames the client sends before the upstream is open wait in the kernel, not in the gateway.
    client.pause();
    client.on('error', () => undefined);
    const left = () => this.dialing.abort();
    client.once('close', left);
    let upstream: WebSocket;
    try {
      upstream = await this.dial();
    } catch (error) {
      this.failed(client, error);
      return;
    }
    client.off('close', left);
    if (client.readyState !== WebSocket.OPEN) {
      upstream.terminate();
      this.finish(499, 'client_closed');
      return;
    }
    this.context.metrics.sessionOpened(this.exchange.provider!);
    this.relay = new RealtimeRelay(client, upstream, this.context.limits, this);
    this.relay.start();
  }

  /** Closes the session with 1001 (gateway shutting down), dialling or relaying. */
  shutdown(): void {
    this.stopping = true;
    if (this.relay) this.relay.end(CLOSE.goingAway, 'server shutting down');
    else this.dialing.abort();
  }

  serverText(frame: Buffer): void {
    const event = observedEventOf(frame);
    if (event === undefined) return;
    const now = performance.now();
    if (event === 'response.created') {
      this.responseStartedAt = now;
      return;
    }
    const parsed = parseEvent(frame);
    if (!parsed) return;
    const usage = usageOf(parsed);
    const startedAt = event === 'response.done' ? (this.responseStartedAt ?? this.exchange.startedAt) : now;
    if (event === 'response.done') this.responseStartedAt = undefined;
    const failed = (parsed.response as { status?: unknown } | undefined)?.status === 'failed';
    this.context.usage.record(this.exchange, { startedAt: wallClock(startedAt), latencyMs: now - startedAt, status: 200, usage, errorType: failed ? 'response_failed' : null });
    if (usage) this.settleResponse(usage);
  }

  tick(): void {
    this.context.metrics.addCounts(this.exchange.provider!, this.relay!.frames, this.relay!.bytes);
  }

  ended(ending: RelayEnding): void {
    this.tick();
    this.context.metrics.sessionClosed(this.exchange.provider!);
    this.finish(200, ending.by === 'upstream' && ending.code !== CLOSE.normal ? 'upstream_closed' : undefined);
  }

  private dial(): Promise<WebSocket> {
    const context = { requestId: this.exchange.requestId, signal: this.dialing.signal };
    const attempt = (target: ResolvedTarget) =>
      dialUpstream({
        ...this.route.connection(target),
        provider: target.provider.name,
        timeoutMs: this.context.connectTimeoutMs,
        maxPayload: this.context.maxFrameBytes,
        signal: context.signal,
      });
    const named = (target: ResolvedTarget) => {
      this.exchange.target = target;
      this.exchange.provider = target.provider.name;
      this.exchange.model = target.model;
    };
    return this.context.failover.run(this.route.plan, context, attempt, named).then((served) => served.value);
  }

  /** The upstream never opened: the client gets a close saying why (1013 when it may retry later), and a usage row records the failure. */
  private failed(client: WebSocket, error: unknown): void {
    const status = error instanceof GatewayError ? error.status : 502;
    const kind = error instanceof GatewayError ? error.kind : 'internal';
    const retryLater = status === 429 || status === 503 || (error as { upstreamStatus?: number }).upstreamStatus === 503;
    const code = this.stopping ? CLOSE.goingAway : retryLater ? CLOSE.tryAgainLater : CLOSE.internal;
    const reason = this.stopping ? 'server shutting down' : error instanceof GatewayError ? error.message : 'upstream unavailable';
    closeLeg(client, code, reason);
    const left = this.dialing.signal.aborted && !this.stopping;
    this.context.usage.record(this.exchange, {
      startedAt: wallClock(this.exchange.startedAt),
      latencyMs: performance.now() - this.exchange.startedAt,
      status: left ? 499 : status,
      errorType: left ? 'client_closed' : kind,
    });
    this.finish(left ? 499 : status, left ? 'client_closed' : kind);
  }

  private settleResponse(usage: TokenUsage): void {
    const { admission } = this.context;
    if (admission.empty) return;
    this.admissions = this.admissions
      .then(() => {
        admission.settle(this.exchange, this.outcome(200, true, usage));
        if (!this.over) return admission.admit(this.exchange, this.route.plan);
      })
      .catch((error: unknown) => this.relay?.end(CLOSE.policy, error instanceof GatewayError ? error.message : 'refused by the gateway'));
  }

  /** Once: the last admission settles (after any per-response one still running), and the service forgets the session. */
  private finish(status: number, errorType?: string): void {
    if (this.over) return;
    this.over = true;
    this.exchange.errorType ??= errorType;
    if (!this.context.admission.empty) {
      this.admissions = this.admissions.then(() => this.context.admission.settle(this.exchange, this.outcome(status, status === 200, undefined)));
    }
    this.context.ended(this, status);
  }

  private outcome(status: number, completed: boolean, usage: TokenUsage | undefined): AdmissionOutcome {
    const { exchange } = this;
    return { status, completed, usage, provider: exchange.provider, model: exchange.model, errorType: completed ? undefined : exchange.errorType };
  }
}

/** A performance.now() instant as a Date. */
function wallClock(instant: number): Date {
  return new Date(Date.now() - (performance.now() - instant));
}
