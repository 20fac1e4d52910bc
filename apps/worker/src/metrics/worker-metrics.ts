import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, register } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type JobEvent, QUEUE_MONITOR, QueueName, type QueueCounts, type QueueMonitor } from '@app/queue';
import { QUEUE_JOB_STATES, WORKER_METRIC } from './worker-metric-names';

// From a retention sweep (milliseconds) to a background response running up to HTTP_TIMEOUT (10 min).
const JOB_DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600];
const SAMPLE_WARN_INTERVAL_MS = 60_000;

/**
 * The worker's job metrics. They live in a registry of their own (so several workers in one test
 * process do not collide) and are served after the process-wide one (Node's default metrics).
 */
@Injectable()
export class WorkerMetrics {
  readonly contentType = register.contentType;
  private readonly registry = new Registry();
  private readonly logger = new Logger('WorkerMetrics');
  private lastSampleWarning = 0;
  private readonly duration = new Histogram({
    name: WORKER_METRIC.jobDuration,
    help: 'Run time of job attempts in this worker, by queue and outcome (completed, failed).',
    labelNames: ['queue', 'status'],
    buckets: JOB_DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: WORKER_METRIC.jobFailures,
    help: 'Job attempts that failed in this worker (each retry counts), by queue.',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  private readonly stalled = new Counter({
    name: WORKER_METRIC.jobsStalled,
    help: 'Jobs this worker found stalled (their worker lost the lock) and put back for another worker to take over, by queue.',
    labelNames: ['queue'],
    registers: [this.registry],
  });

  constructor(
    @Inject(QUEUE_MONITOR) private readonly monitor: QueueMonitor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const sample = (): Promise<QueueCounts[]> => this.sampleCounts();
    new Gauge({
      name: WORKER_METRIC.queueJobs,
      help: 'Jobs per queue and state, read from Redis when scraped (absent when Redis did not answer in time).',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const counts of await sample()) {
          for (const state of QUEUE_JOB_STATES) this.set({ queue: counts.queue, state }, counts[state]);
        }
      },
    });
    // Zero series from the start, so rate() and alerts see the first failure as an increase.
    for (const queue of Object.values(QueueName)) {
      this.failures.inc({ queue }, 0);
      this.stalled.inc({ queue }, 0);
    }
    monitor.onJobEvent((event) => this.record(event));
  }

  /** The exposition text: the process-wide registry, then the worker's own metrics. */
  async metrics(): Promise<string> {
    const [shared, own] = await Promise.all([register.metrics(), this.registry.metrics()]);
    return `${shared}\n${own}`;
  }

  private record(event: JobEvent): void {
    if (event.kind === 'stalled') {
      this.stalled.inc({ queue: event.queue });
      return;
    }
    if (event.kind === 'failed') this.failures.inc({ queue: event.queue });
    if (event.durationMs !== undefined) this.duration.observe({ queue: event.queue, status: event.kind }, event.durationMs / 1000);
  }

  /**
   * Bounded by READINESS_TIMEOUT: a scrape must answer even when Redis does not, and stale depths
   * would mislead autoscaling, so the gauge is left empty instead.
   */
  private async sampleCounts(): Promise<QueueCounts[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${this.config.readinessTimeoutMs} ms`)), this.config.readinessTimeoutMs);
    });
    try {
      return await Promise.race([this.monitor.counts(), timeout]);
    } catch (error) {
      this.warnThrottled(`Queue depth not sampled: ${(error as Error).message}`);
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  private warnThrottled(message: string): void {
    const now = Date.now();
    if (now - this.lastSampleWarning < SAMPLE_WARN_INTERVAL_MS) return;
    this.lastSampleWarning = now;
    this.logger.warn(message);
  }
}
