import type { IncomingHttpHeaders } from 'node:http';
import type { ModelDto, ModelListDto } from './dto/model-list.dto';

/** One model in the shape of Anthropic's `GET /v1/models`. */
export interface AnthropicModel {
  readonly type: 'model';
  readonly id: string;
  readonly display_name: string;
  readonly created_at: string;
}

export interface AnthropicModelPage {
  readonly data: AnthropicModel[];
  readonly has_more: boolean;
  readonly first_id: string | null;
  readonly last_id: string | null;
}

/**
 * Whether the caller is an Anthropic client: its SDKs always send `anthropic-version`, and the
 * older ones present the key as `x-api-key` rather than a Bearer token. `/v1/models` is shared by
 * both dialects, so the answer's shape follows the client, as each SDK parses only its own.
 */
export function speaksAnthropic(headers: IncomingHttpHeaders): boolean {
  if (headers['anthropic-version'] !== undefined) return true;
  return headers['x-api-key'] !== undefined && !String(headers.authorization ?? '').startsWith('Bearer ');
}

export function toAnthropicModel(model: ModelDto): AnthropicModel {
  return { type: 'model', id: model.id, display_name: model.id, created_at: new Date(model.created * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/** Anthropic's cursor pagination (`limit` 1–1000, default 20; `after_id` / `before_id`) over the list. */
export function anthropicPage(list: ModelListDto, query: Record<string, unknown>): AnthropicModelPage {
  const all = list.data.map(toAnthropicModel);
  const limit = Math.min(1000, Math.max(1, Number(query.limit) || 20));
  const after = typeof query.after_id === 'string' ? all.findIndex((model) => model.id === query.after_id) : -1;
  const before = typeof query.before_id === 'string' ? all.findIndex((model) => model.id === query.before_id) : -1;
  const end = before >= 0 ? before : all.length;
  const start = before >= 0 ? Math.max(0, end - limit) : after + 1;
  const data = all.slice(start, Math.min(end, start + limit));
  const hasMore = before >= 0 ? start > 0 : start + data.length < end;
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
