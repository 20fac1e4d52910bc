import type { Readable } from 'node:stream';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { BedrockProviderOptions } from '@app/config';
import type { UpstreamHeaders } from '../upstream-http';
import { awsSigning } from './aws-sdk-parts';

export interface BedrockRequestToSign {
  readonly method: string;
  /** Path relative to the base URL, query included, already percent-encoded as it will be sent. */
  readonly path: string;
  readonly headers: UpstreamHeaders;
  readonly body?: string | Buffer | Readable | null;
}

/**
 * Adds Bedrock credentials to a request: `Authorization: Bearer` for a Bedrock API key, else an
 * AWS SigV4 signature (service `bedrock`). A body that streams cannot be hashed up front, so it is
 * signed as UNSIGNED-PAYLOAD, which SigV4 allows over TLS.
 */
export class BedrockAuth {
  private readonly signer?: SignatureV4;
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly options: BedrockProviderOptions,
  ) {
    this.url = new URL(baseUrl);
    if (!options.bearerToken) {
      const { SignatureV4, Sha256 } = awsSigning();
      this.signer = new SignatureV4({
        service: 'bedrock',
        region: options.region,
        sha256: Sha256,
        credentials: { accessKeyId: options.accessKeyId ?? '', secretAccessKey: options.secretAccessKey ?? '', sessionToken: options.sessionToken },
      });
    }
  }

  /** Returns the headers to send: the given ones plus the credentials. */
  async headers(request: BedrockRequestToSign): Promise<UpstreamHeaders> {
    if (!this.signer) return { ...request.headers, authorization: `Bearer ${this.options.bearerToken}` };
    const basePath = this.url.pathname.replace(/\/+$/, '');
    const [path, query] = splitQuery(basePath + request.path);
    const streamed = request.body !== undefined && request.body !== null && typeof request.body !== 'string' && !Buffer.isBuffer(request.body);
    const unsigned: UpstreamHeaders = streamed ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {};
    const toSign = new (awsSigning().HttpRequest)({
      method: request.method,
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port ? Number(this.url.port) : undefined,
      path,
      query,
      headers: { ...withoutCredentials(request.headers), ...unsigned, host: this.url.host },
      body: streamed ? undefined : request.body,
    });
    const signed = await this.signer.sign(toSign);
    // undici derives Host from the origin itself (the same value that was signed).
    const { host: _host, ...headers } = signed.headers;
    return headers;
  }
}

/** Client credential headers never take part in the signature nor reach AWS. */
function withoutCredentials(headers: UpstreamHeaders): UpstreamHeaders {
  const { authorization: _a, 'x-amz-security-token': _t, 'x-amz-date': _d, ...rest } = headers;
  return rest;
}

function splitQuery(target: string): [string, Record<string, string | string[]>] {
  const mark = target.indexOf('?');
  if (mark === -1) return [target, {}];
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(target.slice(mark + 1))) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return [target.slice(0, mark), query];
}
