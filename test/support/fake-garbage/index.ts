export { FakeGarbageUpstream, type GarbageReply } from './fake-garbage-upstream';
