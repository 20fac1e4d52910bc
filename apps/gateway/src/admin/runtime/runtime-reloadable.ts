/**
 * A service that can re-read its state on `POST /admin/runtime/refresh` (managed keys, aliases,
 * budgets…). Any provider of the application that has both members is found at boot and called
 * in turn; its `reloadStep` names the step in the answer.
 */
export interface RuntimeReloadable {
  readonly reloadStep: string;
  reload(): Promise<void>;
}

export function isRuntimeReloadable(value: unknown): value is RuntimeReloadable {
  const candidate = value as Partial<RuntimeReloadable> | null | undefined;
  return typeof candidate?.reloadStep === 'string' && typeof candidate.reload === 'function';
}
