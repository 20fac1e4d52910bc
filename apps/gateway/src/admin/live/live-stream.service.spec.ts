import type { NewAuditEntry } from '@app/storage';
import type { GracefulShutdown } from '../../http/graceful-shutdown';
import { RequestEvents } from '../../pipeline/request-events';
import { LiveStreamService } from './live-stream.service';
import { InProcessLiveTransport } from './live-transport';

const entry = (path: string): NewAuditEntry =>
  ({ requestId: `req ${path}`, createdAt: new Date(0), method: 'GET', route: path, path, status: 200, latencyMs: 1 }) as unknown as NewAuditEntry;

describe('LiveStreamService', () => {
  function setUp(): { events: RequestEvents; transport: InProcessLiveTransport; published: string[]; service: LiveStreamService } {
    const events = new RequestEvents();
    const transport = new InProcessLiveTransport();
    const published: string[] = [];
    const publish = transport.publish.bind(transport);
    transport.publish = (message) => {
      published.push(message);
      publish(message);
    };
    const service = new LiveStreamService(events, transport, { onDrain: () => undefined } as unknown as GracefulShutdown);
    return { events, transport, published, service };
  }

  it('builds and publishes nothing while no live client is (or recently was) connected', () => {
    const { events, published, service } = setUp();
    events.emit(entry('/v1/chat/completions'), undefined);
    expect(published).toEqual([]);
    void service.onModuleDestroy();
  });

  it('publishes gateway traffic but not the admin API’s own calls once a client listens', () => {
    const { events, transport, published, service } = setUp();
    transport.announceListener();
    events.emit(entry('/admin/audit/log'), undefined);
    events.emit(entry('/admin/live'), undefined);
    events.emit(entry('/v1/chat/completions'), undefined);
    events.emit(entry('/p/openai/v1/models'), undefined);
    expect(published.map((message) => (JSON.parse(message) as { path: string }).path)).toEqual(['/v1/chat/completions', '/p/openai/v1/models']);
    void service.onModuleDestroy();
  });
});
