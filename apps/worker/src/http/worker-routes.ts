/** Paths the worker's HTTP server answers; the Kubernetes manifests' probes are checked against them. */
export const WORKER_ROUTES = {
  /** Liveness: 200 while the process runs and its queue consumers are open, 503 otherwise. */
  health: '/health',
  /** Prometheus exposition (when METRICS_ENABLED; master key only under METRICS_AUTH). */
  metrics: '/metrics',
} as const;
