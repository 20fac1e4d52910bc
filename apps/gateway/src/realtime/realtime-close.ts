/** Close codes the gateway itself sends (RFC 6455 §7.4.1). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  internal: 1011,
  tryAgainLater: 1013,
} as const;

/** A close frame's reason is limited to 123 bytes (125 minus the code). */
const MAX_REASON_BYTES = 123;

/**
 * The code to close the other leg with when one leg closed with `code`: the same code when it may
 * be sent; none at all for 1005 (the peer then reads 1005 too); `fallback` for the codes that only
 * describe what happened locally (1006 no close frame, 1015 TLS failure) or are not valid on the wire.
 */
export function relayedCloseCode(code: number, fallback: number): number | undefined {
  if (code === 1005) return undefined;
  return isSendable(code) ? code : fallback;
}

/** A close reason cut to what a close frame can carry, on a character boundary. */
export function closeReason(reason: string | Buffer): string {
  const text = typeof reason === 'string' ? reason : reason.toString('utf8');
  if (Buffer.byteLength(text) <= MAX_REASON_BYTES) return text;
  let cut = text.slice(0, MAX_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/** The codes an endpoint may put in a close frame (as `ws` checks them). */
function isSendable(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
