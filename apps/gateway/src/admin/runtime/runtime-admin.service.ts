import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { redactSecrets } from '@app/core';
import { ModelInventory } from '@app/providers';
import type { RefreshStepDto, RuntimeConfigDto, RuntimeRefreshDto } from './runtime.dto';
import { isRuntimeReloadable, type RuntimeReloadable } from './runtime-reloadable';
import { sanitizedConfig } from './sanitized-config';

@Injectable()
export class RuntimeAdminService implements OnApplicationBootstrap {
  private reloadables: RuntimeReloadable[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inventory: ModelInventory,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    const instances = this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown);
    this.reloadables = [...new Set(instances.filter(isRuntimeReloadable))];
  }

  /** Re-lists every provider's models, then reloads each reloadable service; one failed step does not stop the others. */
  async refresh(): Promise<RuntimeRefreshDto> {
    const steps: RefreshStepDto[] = [await step('models', () => this.inventory.refresh(this.config.upstream.firstByteTimeoutMs))];
    for (const reloadable of this.reloadables) steps.push(await step(reloadable.reloadStep, () => reloadable.reload()));
    return { object: 'runtime.refresh', ok: steps.every((result) => result.ok), steps };
  }

  runningConfig(): RuntimeConfigDto {
    return { object: 'runtime.config', config: sanitizedConfig(this.config) };
  }
}

async function step(name: string, run: () => Promise<void>): Promise<RefreshStepDto> {
  try {
    await run();
    return { step: name, ok: true };
  } catch (error) {
    return { step: name, ok: false, error: redactSecrets(error instanceof Error ? error.message : String(error)) };
  }
}
