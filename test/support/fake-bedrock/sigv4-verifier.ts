import type { IncomingMessage } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

/**
 * Checks a SigV4-signed request the way AWS does: the credential scope names the key, date, region
 * and service `bedrock`, x-amz-date (and x-amz-security-token for session credentials) are present,
 * and recomputing the signature over the request as received gives the same value.
 * Returns a reason for rejection, or undefined when the request is correctly signed.
 */
export async function verifySigV4(req: IncomingMessage, rawBody: string, credentials: AwsTestCredentials): Promise<string | undefined> {
  const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ''));
  if (!match) return 'missing or malformed AWS4-HMAC-SHA256 Authorization header';
  const [, keyId, date, region, service, signedHeaders, signature] = match;
  if (keyId !== credentials.accessKeyId) return `unknown access key ${keyId}`;
  if (region !== credentials.region || service !== 'bedrock') return `wrong scope ${region}/${service}`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date)) return 'x-amz-date missing or not matching the credential date';
  if (credentials.sessionToken && req.headers['x-amz-security-token'] !== credentials.sessionToken) return 'x-amz-security-token missing';
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    if (name !== 'x-amz-date' && name !== 'x-amz-security-token') headers[name] = String(req.headers[name] ?? '');
  }
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const rawPath = (req.url ?? '/').split('?')[0];
  const unsigned = req.headers['x-amz-content-sha256'] === 'UNSIGNED-PAYLOAD';
  const request = new HttpRequest({
    method: req.method,
    hostname: String(req.headers.host).split(':')[0],
    path: rawPath,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: unsigned ? undefined : rawBody,
  });
  const signer = new SignatureV4({ service: 'bedrock', region, sha256: Sha256, credentials });
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const expected = await signer.sign(request, { signingDate });
  return String(expected.headers.authorization).endsWith(`Signature=${signature}`) ? undefined : 'signature does not match';
}
