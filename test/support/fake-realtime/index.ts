export { FakeRealtimeUpstream } from './fake-realtime-upstream';
export { closed, connect, nextEvent, usageRows } from './realtime-clients';
