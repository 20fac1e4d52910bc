import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Provider, REMOTE_DATA_JSON_URL, updatePrices, waitForUpdate } from '@pydantic/genai-prices';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PricingService } from './pricing.service';

const FETCH_TIMEOUT_MS = 30_000;

/**
 * The opt-in refresh of the price database (PRICES_REFRESH_INTERVAL): fetches the package's data
 * file (or PRICES_DATA_URL) in the background and swaps it in. Off by default, and a failed fetch
 * keeps the data in use (bundled, or the last good refresh): prices never depend on the network.
 */
@Injectable()
export class PriceDataRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PriceDataRefresher.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pricing: PricingService,
  ) {}

  onApplicationBootstrap(): void {
    const { refreshIntervalMs } = this.config.priceData;
    if (refreshIntervalMs <= 0) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), refreshIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One refresh; true when new data is in use. */
  async refresh(): Promise<boolean> {
    const url = this.config.priceData.url ?? REMOTE_DATA_JSON_URL;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      if (!Array.isArray(data) || data.length === 0) throw new Error('expected a non-empty list of providers');
      // The package validates the providers as it takes them and keeps its old data if they are invalid.
      updatePrices(({ setProviderData }) => setProviderData(data as Provider[]));
      await waitForUpdate();
      this.pricing.priceDataChanged();
      this.logger.log({ msg: 'price data refreshed', providers: data.length });
      return true;
    } catch (error) {
      this.logger.warn({ msg: 'price data refresh failed; keeping the prices in use', url, err: String(error) });
      return false;
    }
  }
}
