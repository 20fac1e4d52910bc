import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closed, connect, FakeRealtimeUpstream, nextEvent, usageRows } from './support/fake-realtime';
import { GATEWAY_MAIN, startGatewayProcess } from './support/gateway-process';
import { createTestCertificate } from './support/tls/test-certificate';

const MASTER_KEY = 'sy-realtime-sigterm';
const UPSTREAM_KEY = 'sk-realtime-sigterm';

describe('SIGTERM on the built gateway with a realtime session open (wss://)', () => {
  it('closes the session with 1001 on both legs after the drain bound, writes its usage and exits 0', async () => {
    expect(existsSync(GATEWAY_MAIN)).toBe(true); // npm test builds dist/ first
    const certificate = createTestCertificate();
    const upstream = await FakeRealtimeUpstream.start(UPSTREAM_KEY);
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-realtime-sigterm-'));
    try {
      const gateway = await startGatewayProcess({
        DATA_DIR: dataDir,
        SWITCHYARD_MASTER_KEY: MASTER_KEY,
        OPENAI_API_KEY: UPSTREAM_KEY,
        OPENAI_BASE_URL: upstream.baseUrl,
        TLS_CERT_FILE: certificate.certFile,
        TLS_KEY_FILE: certificate.keyFile,
        SHUTDOWN_DRAIN_TIMEOUT: '1s',
        // Only the shutdown flush can write the row.
        USAGE_FLUSH_INTERVAL: '1h',
      });
      const result = await connect(`wss://127.0.0.1:${gateway.port}/v1/realtime?model=gpt-realtime`, ['realtime', `openai-insecure-api-key.${MASTER_KEY}`], { ca: certificate.ca });
      if (result.refused) throw new Error(`refused ${result.status} ${result.body}`);
      const { socket } = result;
      await nextEvent(socket, 'session.created');
      socket.send(JSON.stringify({ type: 'response.create' }));
      await nextEvent(socket, 'response.done');
      const upstreamClosed = new Promise<number>((resolve) => [...upstream.sockets][0].once('close', (code) => resolve(code)));
      const clientClosed = closed(socket);
      gateway.child.kill('SIGTERM');
      expect(await clientClosed).toEqual({ code: 1001, reason: 'server shutting down' });
      expect(await upstreamClosed).toBe(1001);
      expect(await gateway.exit).toBe(0);
      const rows = await usageRows(dataDir, '/v1/realtime', 1, 'gpt-realtime');
      expect(rows).toEqual([expect.objectContaining({ status: 200, input_tokens: 132, output_tokens: 121, key_id: 'master' })]);
    } finally {
      await upstream.close();
      certificate.remove();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
