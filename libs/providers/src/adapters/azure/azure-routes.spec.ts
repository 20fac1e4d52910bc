import type { ProviderConfig } from '@app/config';
import { azureRoutes } from './azure-routes';

const azure = (baseUrl: string, apiVersion: string): ProviderConfig => ({
  name: 'azure',
  type: 'azure',
  dialect: 'azure',
  baseUrl,
  apiKey: 'k',
  models: [],
  azure: { apiVersion },
});

describe('azureRoutes', () => {
  it('uses deployment URLs with the api-version for a dated version', () => {
    const routes = azureRoutes(azure('https://myres.openai.azure.com', '2024-10-21'));
    expect(routes.surface).toBe('deployments');
    expect(routes.rootUrl).toBe('https://myres.openai.azure.com');
    expect(routes.chatPath('gpt-4o prod')).toBe('/openai/deployments/gpt-4o%20prod/chat/completions?api-version=2024-10-21');
    expect(routes.embeddingsPath('emb')).toBe('/openai/deployments/emb/embeddings?api-version=2024-10-21');
    expect(routes.audioPath('transcriptions', 'whisper')).toBe('/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21');
  });

  it('accepts a base URL ending in /openai for deployment URLs', () => {
    const routes = azureRoutes(azure('https://myres.openai.azure.com/openai/', '2025-01-01-preview'));
    expect(routes.rootUrl).toBe('https://myres.openai.azure.com');
    expect(routes.forwardPrefix).toBe('/openai');
    expect(routes.chatPath('d')).toBe('/openai/deployments/d/chat/completions?api-version=2025-01-01-preview');
  });

  it('uses the v1 surface when the api version is v1', () => {
    const routes = azureRoutes(azure('https://myres.openai.azure.com', 'v1'));
    expect(routes.surface).toBe('v1');
    expect(routes.chatPath('d')).toBe('/openai/v1/chat/completions');
    expect(routes.embeddingsPath('d')).toBe('/openai/v1/embeddings');
    expect(routes.audioPath('speech', 'd')).toBe('/openai/v1/audio/speech');
  });

  it('uses the v1 surface when the base URL already ends in /openai/v1, whatever the version', () => {
    const routes = azureRoutes(azure('https://myres.openai.azure.com/openai/v1', '2024-10-21'));
    expect(routes.surface).toBe('v1');
    expect(routes.rootUrl).toBe('https://myres.openai.azure.com');
    expect(routes.forwardPrefix).toBe('/openai/v1');
  });
});
