export { FakeGarbageUpstream, type GarbageReply, type RecordedGarbageRequest } from './fake-garbage-upstream';
