import type { IncomingMessage } from 'node:http';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import WebSocket, { type ClientOptions } from 'ws';

/** What a raw WebSocket client saw: the upgrade refused (status, body), or opened. */
export type HandshakeResult = { readonly refused: true; readonly status: number; readonly body: string } | { readonly refused: false; readonly socket: WebSocket };

/** Opens a WebSocket and resolves once it opened or its upgrade was answered with an HTTP error. */
export function connect(url: string, protocols: string[], options: ClientOptions = {}): Promise<HandshakeResult> {
  const socket = new WebSocket(url, protocols, options);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ refused: false, socket }));
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ refused: true, status: response.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}

/** Resolves with the next message whose JSON `type` is `type` (text frames), collecting everything seen meanwhile. */
export function nextEvent(socket: WebSocket, type: string, seen: Record<string, unknown>[] = []): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer, binary: boolean) => {
      if (binary) return;
      const event = JSON.parse(data.toString()) as Record<string, unknown>;
      seen.push(event);
      if (event.type !== type) return;
      socket.off('message', onMessage);
      resolve(event);
    };
    socket.on('message', onMessage);
    socket.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()} before ${type}`)));
  });
}

export function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** The usage rows of an endpoint and model, polled until `count` are written (the writer flushes on a timer). */
export async function usageRows(dataDir: string, endpoint: string, count: number, model: string): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const db = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
    const rows = db.prepare('SELECT * FROM usage_records WHERE endpoint = ? AND model = ? ORDER BY created_at').all(endpoint, model) as Record<string, unknown>[];
    db.close();
    if (rows.length >= count || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
