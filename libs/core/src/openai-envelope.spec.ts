import { GatewayError } from './gateway-error';
import { toOpenAIError } from './openai-envelope';

describe('toOpenAIError', () => {
  it('renders a gateway error with its status, type, param and code', () => {
    expect(toOpenAIError(GatewayError.modelNotFound('nope'))).toEqual({
      status: 404,
      body: { error: { message: expect.stringContaining("'nope'"), type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
    });
  });

  it('never leaks the message of an unexpected error', () => {
    const rendered = toOpenAIError(new Error('password=hunter2 at db.internal'));
    expect(rendered.status).toBe(500);
    expect(JSON.stringify(rendered.body)).not.toContain('hunter2');
  });
});
