import { Writable } from 'node:stream';
import { registerSecrets } from '@app/core';
import { requestContext } from './request-context';
import { createPinoLogger, StructuredLogger } from './structured-logger';

const SECRET = 'logged-provider-credential-9d1e';

function capture(): { logger: StructuredLogger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: new StructuredLogger(createPinoLogger('info', destination)), lines };
}

describe('StructuredLogger', () => {
  beforeAll(() => registerSecrets([SECRET]));

  it('never writes a configured secret, wherever it sits in the line', () => {
    const { logger, lines } = capture();
    const error = new Error(`upstream said: invalid key ${SECRET}`);
    logger.error(error, undefined, 'Test');
    logger.warn(`retrying after ${SECRET} was refused`, 'Test');
    logger.log({ msg: 'upstream answer', detail: { text: `echo ${SECRET}` }, url: `https://x.example/?key=${SECRET}` }, 'Test');
    logger.error({ msg: 'unhandled', err: error });
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain(SECRET);
      expect(line).toContain('[redacted]');
    }
  });

  it('adds the request id of the request being served, and leaks no field from one line into the next', () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'outside', port: 1 }, 'Test');
    requestContext.run({ requestId: 'req-ctx-1' }, () => logger.warn({ msg: 'inside' }, 'Test'));
    logger.log({ msg: 'outside again' }, 'Test');
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((line) => [line.msg, line.requestId, line.port])).toEqual([
      ['outside', undefined, 1],
      ['inside', 'req-ctx-1', undefined],
      ['outside again', undefined, undefined],
    ]);
  });

  it('redacts Authorization-shaped tokens that are not configured', () => {
    const { logger, lines } = capture();
    logger.warn('upstream echoed Bearer some-other-deployment-token', 'Test');
    expect(lines[0]).not.toContain('some-other-deployment-token');
  });
});
