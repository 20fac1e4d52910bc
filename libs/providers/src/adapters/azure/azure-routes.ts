import type { ProviderConfig } from '@app/config';

/** Where one Azure OpenAI resource's routes live. */
export interface AzureRoutes {
  /** `deployments`: /openai/deployments/{deployment}/…?api-version=…; `v1`: /openai/v1/… with the model in the body. */
  readonly surface: 'deployments' | 'v1';
  /** Resource root the connection pool is built on, e.g. https://myres.openai.azure.com. */
  readonly rootUrl: string;
  /** Prefix that keeps forwarded paths relative to the base URL exactly as configured. */
  readonly forwardPrefix: string;
  chatPath(deployment: string): string;
  embeddingsPath(deployment: string): string;
  /** `audio/speech`, `audio/transcriptions`, `audio/translations` of a deployment. */
  audioPath(operation: string, deployment: string): string;
}

const V1_SUFFIX = /\/openai\/v1$/i;
const OPENAI_SUFFIX = /\/openai$/i;

/**
 * The rule (see also docs): the v1 surface is used when AZURE_API_VERSION is `v1` or the base URL
 * already ends in `/openai/v1`; it takes the deployment name as `model` in the body and no
 * api-version. Otherwise the classic deployment surface is used, with the deployment named by the
 * model selector in the path and AZURE_API_VERSION (default 2024-10-21) as `api-version`.
 * AZURE_BASE_URL may be the resource root or end in `/openai` or `/openai/v1`.
 */
export function azureRoutes(provider: ProviderConfig): AzureRoutes {
  const configured = provider.baseUrl.replace(/\/+$/, '');
  const suffix = V1_SUFFIX.exec(configured)?.[0] ?? OPENAI_SUFFIX.exec(configured)?.[0] ?? '';
  const rootUrl = configured.slice(0, configured.length - suffix.length);
  const apiVersion = provider.azure?.apiVersion ?? '';
  const v1 = apiVersion.toLowerCase() === 'v1' || V1_SUFFIX.test(configured);
  if (v1) {
    return {
      surface: 'v1',
      rootUrl,
      forwardPrefix: suffix,
      chatPath: () => '/openai/v1/chat/completions',
      embeddingsPath: () => '/openai/v1/embeddings',
      audioPath: (operation) => `/openai/v1/audio/${operation}`,
    };
  }
  const query = `?api-version=${encodeURIComponent(apiVersion)}`;
  const deploymentPath = (deployment: string, operation: string) => `/openai/deployments/${encodeURIComponent(deployment)}/${operation}${query}`;
  return {
    surface: 'deployments',
    rootUrl,
    forwardPrefix: suffix,
    chatPath: (deployment) => deploymentPath(deployment, 'chat/completions'),
    embeddingsPath: (deployment) => deploymentPath(deployment, 'embeddings'),
    audioPath: (operation, deployment) => deploymentPath(deployment, `audio/${operation}`),
  };
}
