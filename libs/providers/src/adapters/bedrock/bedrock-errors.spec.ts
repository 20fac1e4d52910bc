import { registerSecrets } from '@app/core';
import { bedrockStatusFailure, bedrockStreamException } from './bedrock-errors';

const header = (type: string) => ({ 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });

describe('bedrockStatusFailure', () => {
  it.each([
    [400, 'ValidationException', 400],
    [403, 'AccessDeniedException', 403],
    [404, 'ResourceNotFoundException', 404],
    [429, 'ThrottlingException', 429],
    [408, 'ModelTimeoutException', 504],
    [424, 'ModelErrorException', 502],
    [500, 'InternalServerException', 502],
    [503, 'ServiceUnavailableException', 502],
  ])('maps %d %s to client status %d with the message', (status, type, clientStatus) => {
    const failure = bedrockStatusFailure('bedrock', status, header(type), JSON.stringify({ message: `${type} happened` }));
    expect(failure.status).toBe(clientStatus);
    expect(failure.upstreamStatus).toBe(status);
    expect(failure.message).toBe(`${type} happened`);
    expect(failure.upstreamType).toBe(clientStatus < 500 ? type : undefined);
  });

  it('falls back to the status and type when the body is not JSON, and never echoes the body', () => {
    const failure = bedrockStatusFailure('bedrock', 403, header('AccessDeniedException'), '<html>secret=AKIA…</html>');
    expect(failure.message).toBe("Upstream provider 'bedrock' answered with HTTP 403 (AccessDeniedException).");
  });

  it('redacts the AWS credentials an upstream echoes, in status errors and stream exceptions', () => {
    registerSecrets(['bedrock-session-token-configured-01']);
    const echo = JSON.stringify({ message: 'Credential AKIAABCDEFGHIJKLMNOP with token bedrock-session-token-configured-01 is invalid' });
    const expected = 'Credential [redacted] with token [redacted] is invalid';
    expect(bedrockStatusFailure('bedrock', 403, header('UnrecognizedClientException'), echo).message).toBe(expected);
    expect(bedrockStreamException('bedrock', 'validationException', echo).message).toBe(expected);
  });

  it('reads Retry-After for throttling', () => {
    expect(bedrockStatusFailure('bedrock', 429, { ...header('ThrottlingException'), 'retry-after': '2' }, '{}').retryAfterMs).toBe(2000);
  });
});

describe('bedrockStreamException', () => {
  it('carries the exception message and type', () => {
    const failure = bedrockStreamException('bedrock', 'throttlingException', '{"message":"slow down"}');
    expect(failure.message).toBe('slow down');
    expect(failure.code).toBe('throttlingException');
    expect(failure.status).toBe(429);
    expect(bedrockStreamException('bedrock', 'modelStreamErrorException', '{}').status).toBe(502);
  });
});
