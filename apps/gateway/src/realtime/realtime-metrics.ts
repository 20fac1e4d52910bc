import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { ProviderRegistry } from '@app/providers';
import { SLOT } from './realtime-relay';

const SESSIONS_OPEN = 'switchyard_realtime_sessions_open';
const FRAMES = 'switchyard_realtime_frames_total';
const BYTES = 'switchyard_realtime_bytes_total';

/** Label sets of the counters, by SLOT: bounded (two directions × two kinds × configured providers). */
const SLOT_LABELS = [
  { direction: 'client_to_upstream', kind: 'text' },
  { direction: 'client_to_upstream', kind: 'binary' },
  { direction: 'upstream_to_client', kind: 'text' },
  { direction: 'upstream_to_client', kind: 'binary' },
] as const;

export const REALTIME_METRIC_PROVIDERS = [
  makeGaugeProvider({ name: SESSIONS_OPEN, help: 'Realtime WebSocket sessions relayed right now, by provider.', labelNames: ['provider'] }),
  makeCounterProvider({ name: FRAMES, help: 'Realtime frames relayed, by provider, direction and kind (text, binary).', labelNames: ['provider', 'direction', 'kind'] }),
  makeCounterProvider({ name: BYTES, help: 'Realtime payload bytes relayed, by provider, direction and kind.', labelNames: ['provider', 'direction', 'kind'] }),
];

/**
 * The relay's metrics. Frames are counted in plain arrays by each relay and added here once per
 * ping interval and at the end of a session, so a frame costs no label lookup. The provider label
 * is a configured instance name or `other`.
 */
@Injectable()
export class RealtimeMetrics {
  constructor(
    @InjectMetric(SESSIONS_OPEN) private readonly open: Gauge<string>,
    @InjectMetric(FRAMES) private readonly frames: Counter<string>,
    @InjectMetric(BYTES) private readonly bytes: Counter<string>,
    private readonly registry: ProviderRegistry,
  ) {}

  sessionOpened(provider: string): void {
    this.open.inc({ provider: this.provider(provider) });
  }

  sessionClosed(provider: string): void {
    this.open.dec({ provider: this.provider(provider) });
  }

  /** Adds a relay's counts and zeroes them. */
  addCounts(provider: string, frames: number[], bytes: number[]): void {
    const label = this.provider(provider);
    for (let slot = SLOT.clientText; slot <= SLOT.upstreamBinary; slot++) {
      if (frames[slot] === 0) continue;
      const labels = { provider: label, ...SLOT_LABELS[slot] };
      this.frames.inc(labels, frames[slot]);
      this.bytes.inc(labels, bytes[slot]);
      frames[slot] = 0;
      bytes[slot] = 0;
    }
  }

  private provider(name: string): string {
    return this.registry.has(name) ? name : 'other';
  }
}
