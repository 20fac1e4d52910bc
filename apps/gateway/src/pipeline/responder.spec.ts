import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import type { Exchange } from './exchange';
import { Responder } from './responder';

const CHUNK = Buffer.alloc(64 * 1024, 'x');
const UPSTREAM_BYTES = 50 * 1024 * 1024;

/** A source that would stream 50 MB, counting what the responder pulled from it. */
function source(pulled: { bytes: number; released: boolean }): AsyncGenerator<Buffer> {
  return (async function* () {
    try {
      while (pulled.bytes < UPSTREAM_BYTES) {
        pulled.bytes += CHUNK.length;
        yield CHUNK;
      }
    } finally {
      pulled.released = true;
    }
  })();
}

describe('Responder: backpressure of streamed answers', () => {
  let server: Server;
  let client: Socket | undefined;
  let served: void | Promise<void>;
  let response: ServerResponse;
  const pulled = { bytes: 0, released: false };

  beforeAll(async () => {
    server = createServer((_request, res) => {
      response = res;
      const exchange = { response: res } as unknown as Exchange;
      served = new Responder().send(exchange, { kind: 'sse', status: 200, chunks: source(pulled), onError: () => undefined });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    client?.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops pulling the source while a client reads nothing, and lets it go when the client leaves', async () => {
    client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    // The client sends its request, then never reads: its socket's receive window fills.
    client.pause();
    client.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    // Event-driven: wait until the responder is parked on a refused write (pulled stops growing).
    let previous = -1;
    while (pulled.bytes !== previous) {
      previous = pulled.bytes;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Kernel socket buffers on both ends absorb a few MB at most; the gateway buffers one chunk or so.
    expect(pulled.bytes).toBeLessThan(16 * 1024 * 1024);
    expect(response.writableLength).toBeLessThanOrEqual(response.writableHighWaterMark + CHUNK.length);
    expect(pulled.released).toBe(false);

    client.destroy();
    await served;
    expect(pulled.released).toBe(true);
    expect(pulled.bytes).toBeLessThan(16 * 1024 * 1024);
  });
});
