import { GatewayError } from './gateway-error';
import { isWellFormedId, requireWellFormedId } from './id-shape';

describe('id shape', () => {
  it.each(['resp_67cb71b351908190a308f3859487620d06981a8637e6bc44', 'conv_689667905b048191b4740501625afd94', 'msg_1', 'a2b3-c4d5', 'x'.repeat(128)])('accepts %s', (id) => {
    expect(isWellFormedId(id)).toBe(true);
    expect(requireWellFormedId(id, 'response_id')).toBe(id);
  });

  it.each(['', 'resp_\u0000', '..', '%2e%2e', 'a/b', 'a\\b', 'a.b', 'a b', 'a\r\nb', 'résp', 'x'.repeat(129)])('refuses %j naming the param', (id) => {
    expect(isWellFormedId(id)).toBe(false);
    let thrown: unknown;
    try {
      requireWellFormedId(id, 'after');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 400, param: 'after', code: 'invalid_id' });
    // The message quotes the id escaped: no raw NUL or CR/LF reaches a log line or a client.
    // eslint-disable-next-line no-control-regex -- the test is that no raw NUL is in the message
    expect((thrown as Error).message).not.toMatch(/[\u0000\r\n]/);
  });

  it('refuses non-strings and, where asked, a missing prefix', () => {
    expect(() => requireWellFormedId(42, 'conversation')).toThrow(/Invalid 'conversation': number/);
    expect(isWellFormedId('conv_1', 'conv_')).toBe(true);
    expect(() => requireWellFormedId('resp_1', 'conversation_id', 'conv_')).toThrow(expect.objectContaining({ code: 'invalid_id_prefix', param: 'conversation_id' }));
  });
});
