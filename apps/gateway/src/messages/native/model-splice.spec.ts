import { GatewayError } from '@app/core';
import { spliceModel } from './model-splice';

describe('spliceModel', () => {
  it('rewrites only the top-level model, every other byte untouched', () => {
    const raw = '{ "max_tokens" : 1.0,\n "model":  "anthropic/claude" , "system": "caf\\u00e9 \\"model\\"", "messages": [] }';
    expect(spliceModel(raw, 'claude-sonnet')).toBe('{ "max_tokens" : 1.0,\n "model":  "claude-sonnet" , "system": "caf\\u00e9 \\"model\\"", "messages": [] }');
  });

  it('ignores nested model keys and string values equal to "model"', () => {
    const raw = '{"tools":[{"name":"pick","input_schema":{"properties":{"model":{"type":"string"}}}}],"system":"model","messages":[{"role":"user","content":"x"}],"model":"alias"}';
    const out = spliceModel(raw, 'gpt-4o');
    expect(JSON.parse(out)).toEqual({ ...JSON.parse(raw), model: 'gpt-4o' });
    expect(out.endsWith('"model":"gpt-4o"}')).toBe(true);
  });

  it('handles escaped backslashes before a closing quote', () => {
    const raw = '{"system":"ends with a backslash \\\\","model":"m"}';
    expect(JSON.parse(spliceModel(raw, 'n'))).toEqual({ system: 'ends with a backslash \\', model: 'n' });
  });

  it('escapes the new model id as JSON', () => {
    expect(JSON.parse(spliceModel('{"model":"a"}', 'we"ird'))).toEqual({ model: 'we"ird' });
  });

  it('refuses a body with two top-level model keys', () => {
    expect(() => spliceModel('{"model":"cheap","messages":[],"model":"expensive"}', 'x')).toThrow(GatewayError);
  });
});
