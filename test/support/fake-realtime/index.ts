export { FakeRealtimeUpstream, type RecordedClose, type RecordedHandshake } from './fake-realtime-upstream';
export { REFERENCE_USAGE } from './realtime-events';
export { closed, connect, type HandshakeResult, nextEvent, usageRows } from './realtime-clients';
