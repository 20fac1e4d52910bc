#!/usr/bin/env node
// The realtime benchmark's upstream, in a process of its own (its CPU is not the gateway's). It
// speaks enough of OpenAI's Realtime API for a relay: `session.created` on connect, then on the
// benchmark's own `bench.start` event it sends `response.output_audio.delta` frames at the asked
// rate, each carrying its send time; every `input_audio_buffer.append` it receives is timed the
// same way, and `bench.stop` answers with those client→upstream latencies (`bench.report`).
//   as a child of bench/realtime.mjs: reports { baseUrl } over IPC and exits when the parent goes away
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const { WebSocketServer } = createRequire(import.meta.url)('ws');
const apiKey = process.env.FAKE_UPSTREAM_API_KEY ?? 'sk-bench-upstream';
const now = () => performance.timeOrigin + performance.now();

const server = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-realtime', object: 'model', created: 1, owned_by: 'system' }] }));
});
const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
server.on('upgrade', (request, socket, head) => {
  if (request.headers.authorization !== `Bearer ${apiKey}`) return socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
  wss.handleUpgrade(request, socket, head, session);
});

function session(ws) {
  const latencies = [];
  let timer;
  ws.send(JSON.stringify({ type: 'session.created', event_id: 'event_0', session: { type: 'realtime', object: 'realtime.session', model: 'gpt-realtime' } }));
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('{"type":"input_audio_buffer.append"')) {
      latencies.push(now() - Number(JSON.parse(text).event_id));
      return;
    }
    const event = JSON.parse(text);
    if (event.type === 'bench.start') {
      const audio = Buffer.alloc(event.bytes, 7).toString('base64');
      const interval = 1000 / event.rate;
      let next = performance.now();
      const send = () => {
        ws.send(`{"type":"response.output_audio.delta","event_id":"${now()}","response_id":"resp_b","item_id":"item_b","output_index":0,"content_index":0,"delta":"${audio}"}`);
        next += interval;
        timer = setTimeout(send, Math.max(0, next - performance.now()));
      };
      send();
    } else if (event.type === 'bench.stop') {
      clearTimeout(timer);
      ws.send(JSON.stringify({ type: 'bench.report', latencies }));
    }
  });
  ws.on('close', () => clearTimeout(timer));
}

server.listen(0, '127.0.0.1', () => {
  const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
  if (process.send) process.send({ baseUrl });
  else console.log(baseUrl);
});
process.on('disconnect', () => process.exit(0));
