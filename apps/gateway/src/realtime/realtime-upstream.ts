import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderConfig } from '@app/config';
import { azureRoutes } from '@app/providers';
import { upstreamRequestHeaders } from '../passthrough/passthrough-headers';

/** What a session asks the upstream for: a model, a transcription session, or a sideband connection to a call. */
export interface RealtimeAsk {
  /** The upstream model id (an Azure deployment name), for conversation and transcription sessions. */
  readonly model?: string;
  readonly transcription?: boolean;
  readonly callId?: string;
}

/** Dialects whose providers serve OpenAI's Realtime protocol: OpenAI-compatible ones (OpenAI, xAI…) and Azure OpenAI. */
export function servesRealtime(provider: ProviderConfig): boolean {
  return provider.dialect === 'openai' || provider.dialect === 'azure';
}

/**
 * The provider's realtime WebSocket URL. OpenAI-compatible: `<base>/realtime?model=…` (OpenAI
 * `wss://api.openai.com/v1/realtime`, xAI `wss://api.x.ai/v1/realtime`). Azure OpenAI, v1 surface:
 * `<resource>/openai/v1/realtime?model=<deployment>`; deployment surface (preview API versions):
 * `<resource>/openai/realtime?api-version=…&deployment=…`. Transcription sessions send
 * `intent=transcription`, sideband connections `call_id`.
 */
export function realtimeUpstreamUrl(provider: ProviderConfig, ask: RealtimeAsk): string {
  const query = new URLSearchParams();
  let base: string;
  if (provider.dialect === 'azure') {
    const routes = azureRoutes(provider);
    if (routes.surface === 'deployments' && ask.callId === undefined) {
      base = `${routes.rootUrl}/openai/realtime`;
      query.set('api-version', provider.azure?.apiVersion ?? '');
      if (ask.model !== undefined) query.set('deployment', ask.model);
    } else {
      base = `${routes.rootUrl}/openai/v1/realtime`;
      if (ask.model !== undefined && !ask.transcription) query.set('model', ask.model);
    }
  } else {
    base = `${provider.baseUrl}/realtime`;
    if (ask.model !== undefined && !ask.transcription) query.set('model', ask.model);
  }
  if (ask.transcription) query.set('intent', 'transcription');
  if (ask.callId !== undefined) query.set('call_id', ask.callId);
  return `${webSocketScheme(base)}?${query.toString()}`;
}

/** `http(s)://…` as `ws(s)://…`: the same server, spoken to with a WebSocket handshake. */
export function webSocketScheme(url: string): string {
  return url.replace(/^http(s?):\/\//i, (_match, secure: string) => `ws${secure}://`);
}

/**
 * The client's handshake headers as the upstream may see them: the passthrough rules (no client
 * credential, cookie, host, hop-by-hop or proxy header; the gateway's request id), and none of the
 * client's `Sec-WebSocket-*` (the upstream handshake is the gateway's own, with its own key and no
 * subprotocol: the key subprotocol must never leave), no `OpenAI-Beta` (OpenAI's GA endpoint closes
 * beta-shaped sessions with 4000 `beta_api_shape_disabled`) and no browser `Origin`. Then the
 * provider's credential, as that provider expects it.
 */
export function realtimeUpstreamHeaders(headers: IncomingHttpHeaders, requestId: string, provider: ProviderConfig): Record<string, string> {
  const forwarded = upstreamRequestHeaders(headers, requestId);
  for (const name of Object.keys(forwarded)) {
    if (name.startsWith('sec-websocket-') || name === 'openai-beta' || name === 'origin') delete forwarded[name];
  }
  if (provider.apiKey) {
    if (provider.dialect === 'azure') forwarded['api-key'] = provider.apiKey;
    else forwarded.authorization = `Bearer ${provider.apiKey}`;
  }
  return forwarded;
}
