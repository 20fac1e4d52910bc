import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { ModelAllowlist } from '@app/governance';
import { ProviderRegistry, type RoutePlan } from '@app/providers';
import type { Caller } from '../auth/caller';

/**
 * Which models a caller may use, from its key's `models` selectors (see ModelAllowlist). The same
 * checks answer a request (403 `model_not_allowed`) and filter `GET /v1/models`.
 *
 * A request is judged by what the client named: an alias by its name, any other selector by the
 * target it resolves to (`gpt-4o` → `openai/gpt-4o`), which is deterministic, unlike an alias's
 * weighted pick. The fallback chain behind a selector is the operator's routing, not the
 * client's choice, so it is not judged target by target.
 */
@Injectable()
export class ModelAccess {
  // Compiled once per key version: the array is the one the key index holds.
  private readonly compiled = new WeakMap<readonly string[], ModelAllowlist>();
  private readonly isProvider = (name: string) => this.registry.has(name);

  constructor(private readonly registry: ProviderRegistry) {}

  allowsPlan(caller: Caller, plan: RoutePlan): boolean {
    const allowlist = this.allowlistOf(caller);
    if (allowlist === null) return true;
    if (plan.alias !== undefined) return allowlist.allowsAlias(plan.alias);
    const first = plan.targets[0];
    return allowlist.allowsTarget(first.provider.name, first.model);
  }

  allowsTarget(caller: Caller, provider: string, model: string): boolean {
    return this.allowlistOf(caller)?.allowsTarget(provider, model) ?? true;
  }

  allowsAlias(caller: Caller, alias: string): boolean {
    return this.allowlistOf(caller)?.allowsAlias(alias) ?? true;
  }

  /** Throws the 403 for a plan the caller may not use (routes that run no admission). */
  assertPlan(caller: Caller, plan: RoutePlan): void {
    if (!this.allowsPlan(caller, plan)) throw modelNotAllowed(plan.selector);
  }

  /** Throws the 403 for a provider's model the caller may not use (passthrough). */
  assertTarget(caller: Caller, provider: string, model: string): void {
    if (!this.allowsTarget(caller, provider, model)) throw modelNotAllowed(model);
  }

  /**
   * Throws the 403 when a key limited to some models sends a passthrough body whose model the
   * gateway could not read (streamed, not JSON, or larger than it peeks): it could name any model.
   */
  assertUnrestricted(caller: Caller, peekedBytes: number): void {
    if (this.allowlistOf(caller) === null) return;
    throw new GatewayError(
      'permission',
      `This API key may use only some models, so its passthrough request bodies must name their model in JSON of at most ${peekedBytes} bytes with a Content-Length.`,
      { code: 'model_not_allowed', param: 'model' },
    );
  }

  /** True when the caller's key may use only some models. */
  isRestricted(caller: Caller): boolean {
    return this.allowlistOf(caller) !== null;
  }

  private allowlistOf(caller: Caller): ModelAllowlist | null {
    const selectors = caller.allowedModels;
    if (!selectors) return null;
    let allowlist = this.compiled.get(selectors);
    if (allowlist === undefined) {
      allowlist = new ModelAllowlist(selectors, this.isProvider);
      this.compiled.set(selectors, allowlist);
    }
    return allowlist;
  }
}

export function modelNotAllowedMessage(model: string): string {
  return `This API key is not allowed to use the model '${model}'.`;
}

function modelNotAllowed(model: string): GatewayError {
  return new GatewayError('permission', modelNotAllowedMessage(model), { code: 'model_not_allowed', param: 'model' });
}
