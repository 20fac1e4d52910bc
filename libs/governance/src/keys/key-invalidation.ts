/** Handlers a replica registers for key changes. */
export interface KeyInvalidationHandlers {
  /** A key changed (created, patched, deactivated): reload it. */
  changed(id: string): void;
  /** Messages may have been missed (the connection to the bus was lost and is back): reload everything. */
  resync(): void;
}

/**
 * Tells every replica that a managed key changed, so each reloads it into its KeyIndex within
 * milliseconds: Redis pub/sub across replicas, in-process delivery in the embedded mode.
 */
export interface KeyInvalidationBus {
  publish(id: string): Promise<void>;
  subscribe(handlers: KeyInvalidationHandlers): Promise<void>;
  close(): Promise<void>;
}

export const KEY_INVALIDATION_BUS = Symbol('KEY_INVALIDATION_BUS');
