import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_MAIN, type GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { TEST_MASTER_KEY } from '../support/gateway-harness';

const MB = 1024 * 1024;
const UPLOAD_MB = Number(process.env.UPLOAD_MB ?? 50);

/** Resident set size of a process, from /proc (Linux), in bytes. */
function rss(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

/** Samples `pid`'s RSS every 20 ms while `work` runs; the highest value seen. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ peak: number; value: T }> {
  let peak = rss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
  try {
    const value = await work();
    return { peak: Math.max(peak, rss(pid)), value };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Uploads `megabytes` of random data as multipart, chunked (no Content-Length, as a streaming SDK
 * sends it), writing only when the socket takes more; resolves with the answer and the data's hash.
 */
function streamUpload(url: string, megabytes: number): Promise<{ status: number; body: string; sha256: string }> {
  const boundary = `----e2e${randomBytes(8).toString('hex')}`;
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sha256: hash.digest('hex') }));
    });
    req.on('error', reject);
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nuser_data\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    let sent = 0;
    const next = (): void => {
      while (sent < megabytes) {
        const chunk = randomBytes(MB);
        hash.update(chunk);
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', next);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    next();
  });
}

/** Downloads a file's content, hashing it as it arrives (never held). */
function streamDownload(url: string, id: string): Promise<{ status: number; bytes: number; sha256: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/files/${id}/content`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex'), type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

// The built gateway as its own process, so its RSS is the gateway's alone (npm test builds dist/ first).
describe('a 50 MB upload streams through the built gateway', () => {
  let gateway: GatewayProcess;
  let dataDir: string;

  beforeAll(async () => {
    expect(existsSync(GATEWAY_MAIN)).toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-files-stream-'));
    gateway = await startGatewayProcess({ DATA_DIR: dataDir, SWITCHYARD_MASTER_KEY: TEST_MASTER_KEY });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`stores ${UPLOAD_MB} MB (chunked, no Content-Length) while its RSS grows by far less, and streams it back intact`, async () => {
    const pid = gateway.child.pid!;
    // Warm-up: code and pools loaded, and V8's young generation grown to its working size, a fixed
    // ~30 MB the first burst of any traffic costs (measured: +30 MB for a first upload of 50 MB and
    // of 150 MB alike, so it is not the file). The 50 MB upload after it then adds ~0-5 MB.
    const warm = await streamUpload(gateway.url, 20);
    expect(warm.status).toBe(200);
    await streamDownload(gateway.url, (JSON.parse(warm.body) as { id: string }).id);
    const baseline = rss(pid);

    const upload = await peakRss(pid, () => streamUpload(gateway.url, UPLOAD_MB));
    expect(upload.value.status).toBe(200);
    const file = JSON.parse(upload.value.body) as { id: string; bytes: number };
    expect(file.bytes).toBe(UPLOAD_MB * MB);
    const download = await peakRss(pid, () => streamDownload(gateway.url, file.id));
    process.stdout.write(
      `RSS baseline ${(baseline / MB).toFixed(1)} MB; peak +${((upload.peak - baseline) / MB).toFixed(1)} MB uploading, +${((download.peak - baseline) / MB).toFixed(1)} MB downloading ${UPLOAD_MB} MB\n`,
    );
    expect(upload.peak - baseline).toBeLessThan(25 * MB);
    expect(download.value).toEqual({ status: 200, bytes: UPLOAD_MB * MB, sha256: upload.value.sha256, type: 'application/octet-stream' });
    // A download buffered whole would add at least the file's 50 MB. Streamed, it adds 12–14 MB
    // alone and up to ~27 MB when the full suite loads the machine (1 MB chunk buffers wait for GC).
    expect(download.peak - baseline).toBeLessThan(35 * MB);
  }, 120_000);
});
