// e2e and integration suites boot the whole gateway (governance, files, batches, audio, realtime
// and the console included), Redis clients and workers in their hooks; under the full run on two
// cores that can take more than jest's 5 s default. A project-level `testTimeout` is not applied to
// hooks by jest-circus, so the timeout is set here, for tests and hooks alike.
jest.setTimeout(30_000);
