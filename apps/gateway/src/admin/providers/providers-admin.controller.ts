import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { redactSecrets } from '@app/core';
import { ModelInventory, ProviderRegistry } from '@app/providers';
import { AdminController } from '../admin-access';
import { ProviderTraffic } from './provider-traffic';
import { type ProviderStatusDto, ProviderStatusListDto } from './provider-status.dto';
import { safeUrl } from './safe-url';

const WINDOW_MINUTES = 5;

@AdminController('Admin: operations')
@Controller('admin/providers')
export class ProvidersAdminController {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly inventory: ModelInventory,
    private readonly traffic: ProviderTraffic,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Per provider: endpoint, model inventory, circuit breaker, last 5 minutes of traffic' })
  @ApiOkResponse({ type: ProviderStatusListDto })
  status(): ProviderStatusListDto {
    return {
      object: 'list',
      data: this.registry.all().map((provider): ProviderStatusDto => {
        const listing = this.inventory.listingStatus(provider.name);
        const recent = this.traffic.recent(provider.name);
        const opened = provider.breaker.lastOpenedAt;
        return {
          name: provider.name,
          type: provider.config.type,
          dialect: provider.config.dialect,
          base_url: safeUrl(provider.config.baseUrl),
          model_count: listing.modelCount,
          models_source: listing.source,
          last_refresh_at: listing.refreshedAt?.toISOString() ?? null,
          last_refresh_error: listing.error === undefined ? null : redactSecrets(listing.error),
          circuit: {
            state: provider.breaker.currentState,
            last_opened_at: opened === undefined ? null : new Date(opened).toISOString(),
            retry_in_ms: provider.breaker.retryInMs(),
          },
          last_5m: { ...recent, requests_per_minute: recent.requests / WINDOW_MINUTES, error_rate: recent.requests === 0 ? 0 : recent.errors / recent.requests },
        };
      }),
    };
  }
}
