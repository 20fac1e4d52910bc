import { clientResponseHeaders, upstreamRequestHeaders } from './passthrough-headers';

describe('passthrough header hygiene', () => {
  it('drops credentials, cookies, hop-by-hop, proxy and Switchyard headers on the way up', () => {
    const forwarded = upstreamRequestHeaders(
      {
        authorization: 'Bearer gateway-key',
        'x-api-key': 'k',
        'api-key': 'k',
        'x-goog-api-key': 'k',
        cookie: 'a=b',
        host: 'gateway.example',
        connection: 'keep-alive, X-Secret-Hop',
        'x-secret-hop': 'v',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic x',
        te: 'trailers',
        trailer: 'x',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        forwarded: 'for=1.2.3.4',
        'x-forwarded-for': '1.2.3.4',
        'x-real-ip': '1.2.3.4',
        'x-switchyard-user-path': 'team',
        expect: '100-continue',
        'x-request-id': 'client-id',
        'content-type': 'application/json',
        'content-length': '12',
        'anthropic-version': '2023-06-01',
        'x-multi': ['a', 'b'],
      },
      'req-1',
    );
    expect(forwarded).toEqual({
      'content-type': 'application/json',
      'content-length': '12',
      'anthropic-version': '2023-06-01',
      'x-multi': 'a, b',
      'x-request-id': 'req-1',
    });
  });

  it('drops every credential-shaped header, whatever the provider calls it', () => {
    const credentials = [
      'anthropic-api-key',
      'openai-api-key',
      'x-amz-security-token',
      'x-auth-token',
      'x-access-token',
      'x-client-secret',
      'x-amz-date-signature',
      'x-goog-credentials',
      'x-custom-bearer',
    ];
    const kept = { 'anthropic-beta': 'b', 'openai-organization': 'org', 'idempotency-key': 'i', 'x-stainless-retry-count': '0', 'x-session-id': 's', 'x-amz-date': 'd' };
    const forwarded = upstreamRequestHeaders({ ...Object.fromEntries(credentials.map((name) => [name, 'secret-value'])), ...kept }, 'req-2');
    expect(forwarded).toEqual({ ...kept, 'x-request-id': 'req-2' });
  });

  it("drops Set-Cookie and hop-by-hop headers on the way back and keeps the provider's request id aside", () => {
    const relayed = clientResponseHeaders({
      'set-cookie': ['a=b'],
      connection: 'close, x-hop',
      'x-hop': 'v',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'proxy-authenticate': 'Basic',
      'content-type': 'text/event-stream',
      'x-ratelimit-remaining-tokens': '100',
      'retry-after': '3',
      'x-request-id': 'req_up',
    });
    expect(relayed).toEqual({
      'content-type': 'text/event-stream',
      'x-ratelimit-remaining-tokens': '100',
      'retry-after': '3',
      'x-upstream-request-id': 'req_up',
    });
  });
});
