/** The rate limits a managed key carries (absent = unlimited). */
export interface KeyLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  readonly maxParallel?: number;
}
