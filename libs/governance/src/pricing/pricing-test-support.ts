import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig } from '@app/config';
import type { GatewayMetrics } from '@app/observability';
import type { ModelPriceOverrideEntity, ModelPriceOverridesRepository } from '@app/storage';
import { PricingService } from './pricing.service';

/** One provider instance per family the gateway prices, with instance names that are not the type. */
export const PROVIDER_ENV = {
  OPENAI_API_KEY: 'sk-test',
  OPENAI_EAST_API_KEY: 'sk-east',
  ANTHROPIC_API_KEY: 'sk-ant',
  GEMINI_API_KEY: 'g-key',
  DEEPSEEK_API_KEY: 'ds-key',
  XAI_API_KEY: 'xai-key',
  OPENROUTER_API_KEY: 'or-key',
  GROQ_API_KEY: 'gq-key',
  AZURE_PROD_API_KEY: 'az-key',
  AZURE_PROD_BASE_URL: 'https://prod.openai.azure.com',
  VLLM_BASE_URL: 'http://127.0.0.1:9/v1',
  BEDROCK_REGION: 'us-east-1',
  AWS_BEARER_TOKEN_BEDROCK: 'br-token',
};

export interface TestPricing {
  readonly pricing: PricingService;
  readonly unknown: Array<[string, string]>;
  readonly overrides: ModelPriceOverrideEntity[];
}

/** A PricingService over PROVIDER_ENV (plus `yaml` as the SWITCHYARD_CONFIG file) with in-memory overrides. */
export async function testPricing(yaml?: string): Promise<TestPricing> {
  const env: Record<string, string> = { ...PROVIDER_ENV };
  if (yaml !== undefined) {
    const file = join(mkdtempSync(join(tmpdir(), 'pricing-')), 'switchyard.yaml');
    writeFileSync(file, yaml);
    env.SWITCHYARD_CONFIG = file;
  }
  const overrides: ModelPriceOverrideEntity[] = [];
  const unknown: Array<[string, string]> = [];
  const repository = { all: () => Promise.resolve([...overrides]) } as unknown as ModelPriceOverridesRepository;
  const metrics = { countCostUnknown: (provider: string, model: string) => unknown.push([provider, model]) } as unknown as GatewayMetrics;
  const pricing = new PricingService(buildConfig(env), repository, metrics);
  await pricing.reloadOverrides();
  return { pricing, unknown, overrides };
}
