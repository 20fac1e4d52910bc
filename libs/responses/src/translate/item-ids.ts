/**
 * Ids of the output items the gateway makes for a translated response carry that response's id:
 * `<prefix><response id without resp_>_<output index>`. Clients such as the AI SDK send earlier
 * output back as `{type: "item_reference", id}` with no response id beside it, and this is what
 * lets the gateway find the item again with one primary-key read instead of an index of every item.
 */
const RESPONSE_PREFIX = 'resp_';
const ITEM_ID = /^[a-z]+_([A-Za-z0-9]+)_\d+$/;

/** The id of output item `index` of response `responseId`, e.g. `msg_<hex>_0`. */
export function outputItemId(prefix: string, responseId: string, index: number): string {
  const suffix = responseId.startsWith(RESPONSE_PREFIX) ? responseId.slice(RESPONSE_PREFIX.length) : responseId;
  return `${prefix}${suffix}_${index}`;
}

/** The response an item id made by outputItemId belongs to; undefined for any other id. */
export function responseIdOfItem(itemId: string): string | undefined {
  const match = ITEM_ID.exec(itemId);
  return match ? `${RESPONSE_PREFIX}${match[1]}` : undefined;
}
