import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '@app/core';
import { ClientClosedError, readBodyBytes } from './body-reader';

const LIMIT = 1_000;

/** A real node:http server whose handler reads the body with readBodyBytes and reports the outcome. */
describe('readBodyBytes', () => {
  let server: Server;
  let port: number;
  /** The outcome of the request being served, set when its handler runs. */
  let outcome: Promise<Buffer | Error>;
  let handled: () => void;
  let onRequest: (request: IncomingMessage) => Promise<Buffer>;

  beforeAll(async () => {
    server = createServer((request, response) => {
      outcome = onRequest(request).then(
        (body) => body,
        (error: Error) => error,
      );
      handled();
      void outcome.then(() => {
        if (!response.destroyed) response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    onRequest = (request) => readBodyBytes(request, LIMIT);
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  /** Sends the chunks (chunked encoding unless a length is given); `abort` resets the connection instead of ending. */
  const send = async (chunks: string[], options: { length?: number; abort?: boolean } = {}): Promise<Buffer | Error> => {
    const started = new Promise<void>((resolve) => (handled = resolve));
    const client = httpRequest({ port, method: 'POST', path: '/', headers: options.length === undefined ? {} : { 'content-length': options.length } });
    client.on('error', () => undefined);
    client.on('response', (response) => response.resume());
    client.flushHeaders();
    // The handler runs (and reading starts) before any byte of the body is sent.
    await started;
    for (const chunk of chunks) {
      client.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (options.abort) client.destroy();
    else client.end();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return outcome;
  };

  it('reads a body that arrives in several chunks, whole and in order', async () => {
    const body = await send(['{"a":', '"', 'x'.repeat(300), '"}']);
    expect(Buffer.isBuffer(body) && body.toString()).toBe(`{"a":"${'x'.repeat(300)}"}`);
  });

  it('reads an empty body', async () => {
    const body = await send([]);
    expect(Buffer.isBuffer(body) && body.length).toBe(0);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const error = await send(['x'.repeat(10)], { length: LIMIT + 1, abort: true });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 413, code: 'request_too_large' });
  });

  it('refuses a chunked body as soon as it grows past the limit', async () => {
    const error = await send(['x'.repeat(600), 'y'.repeat(600), 'z'.repeat(600)]);
    expect(error).toMatchObject({ status: 413, code: 'request_too_large' });
  });

  it('is a ClientClosedError when the client resets mid-body', async () => {
    const error = await send(['x'.repeat(100)], { abort: true });
    expect(error).toBeInstanceOf(ClientClosedError);
  });

  it('is a ClientClosedError when the body ends short of its declared length', async () => {
    const error = await send(['x'.repeat(100)], { length: 500, abort: true });
    expect(error).toBeInstanceOf(ClientClosedError);
  });

  it('settles at once for a request already read or already gone, instead of waiting for events that never come', async () => {
    onRequest = async (request) => {
      await readBodyBytes(request, LIMIT);
      return readBodyBytes(request, LIMIT);
    };
    const again = await send(['abc']);
    expect(Buffer.isBuffer(again) && again.length).toBe(0);

    onRequest = (request) => {
      request.destroy();
      return readBodyBytes(request, LIMIT);
    };
    expect(await send(['abc'])).toBeInstanceOf(ClientClosedError);
  });
});
