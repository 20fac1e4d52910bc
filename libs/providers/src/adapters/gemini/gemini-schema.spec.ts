import { GatewayError } from '@app/core';
import { toGeminiSchema } from './gemini-schema';

describe('toGeminiSchema', () => {
  it('drops keys Gemini rejects and uppercases types', () => {
    expect(
      toGeminiSchema({ $schema: 'x', $id: 'y', type: 'object', additionalProperties: false, properties: { n: { type: 'number', format: 'double', examples: [1] } } }, 'p'),
    ).toEqual({
      type: 'OBJECT',
      properties: { n: { type: 'NUMBER', format: 'double' } },
    });
  });

  it('turns ["t","null"] into nullable and several types into anyOf', () => {
    expect(toGeminiSchema({ type: ['string', 'null'] }, 'p')).toEqual({ type: 'STRING', nullable: true });
    expect(toGeminiSchema({ type: ['string', 'integer'] }, 'p')).toEqual({ anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] });
  });

  it('inlines local $refs, merges allOf and keeps only string enums', () => {
    const schema = {
      type: 'object',
      definitions: { id: { type: 'string', minLength: 3 } },
      properties: { a: { $ref: '#/definitions/id' }, b: { type: 'integer', enum: [1, 2] } },
      allOf: [{ properties: { c: { type: 'boolean' } }, required: ['c'] }],
    };
    expect(toGeminiSchema(schema, 'p')).toEqual({
      type: 'OBJECT',
      properties: { a: { type: 'STRING', minLength: 3 }, b: { type: 'INTEGER' }, c: { type: 'BOOLEAN' } },
      required: ['c'],
    });
  });

  it('rejects recursive and unresolvable $refs with a 400 naming the field', () => {
    const recursive = { $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } }, $ref: '#/$defs/node' };
    expect(() => toGeminiSchema(recursive, 'tools[0].function.parameters')).toThrow(expect.objectContaining({ status: 400, param: 'tools[0].function.parameters' }));
    expect(() => toGeminiSchema({ $ref: 'https://elsewhere/schema.json' }, 'p')).toThrow(GatewayError);
  });
});
