/** Prometheus metric names of the worker, in one place so dashboards, scaling rules and code agree. */
export const WORKER_METRIC = {
  /** Gauge by queue and state (waiting, active, delayed, failed), read from Redis at scrape time. */
  queueJobs: 'switchyard_queue_jobs',
  jobDuration: 'switchyard_job_duration_seconds',
  jobFailures: 'switchyard_job_failures_total',
  jobsStalled: 'switchyard_jobs_stalled_total',
} as const;

/** Job states `switchyard_queue_jobs` reports; `waiting` is the one to scale workers on. */
export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
