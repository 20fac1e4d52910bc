const CREATED_AT = '2025-09-29T00:00:00Z';

/**
 * One page of `GET /v1/models`: `limit` (default 20, 1–1000) and `after_id` honoured, answered
 * with `data`, `has_more`, `first_id` and `last_id` as Anthropic's reference documents.
 */
export function modelsPage(ids: readonly string[], query: URLSearchParams, maxPageSize = 1000): object {
  const limit = Math.min(Number(query.get('limit') ?? 20) || 20, 1000, maxPageSize);
  const afterId = query.get('after_id');
  const start = afterId === null ? 0 : ids.indexOf(afterId) + 1;
  const page = ids.slice(start, start + limit);
  return {
    data: page.map((id) => ({ type: 'model', id, display_name: id.replace(/-/g, ' '), created_at: CREATED_AT })),
    has_more: start + limit < ids.length,
    first_id: page[0] ?? null,
    last_id: page.at(-1) ?? null,
  };
}
