import { GatewayError } from '@app/core';
import type { GeminiSchema } from './gemini-types';

/** Keys of Gemini's `Schema` object (an OpenAPI 3.0 subset) copied as they are. */
const COPIED_KEYS = [
  'title',
  'description',
  'nullable',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'default',
  'minimum',
  'maximum',
  'propertyOrdering',
] as const;

/** `format` values Gemini accepts, per type; any other format is rejected upstream, so it is dropped. */
const FORMATS: Record<string, readonly string[]> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};

const TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);
const MAX_DEPTH = 32;

type JsonSchema = Record<string, unknown>;

interface Context {
  readonly root: JsonSchema;
  readonly param: string;
  readonly refs: readonly string[];
}

/**
 * Converts a JSON Schema (OpenAI tool parameters, response_format schemas) to Gemini's Schema
 * object. Keys Gemini does not know (`additionalProperties`, `$schema`, `$id`, `strict` …) are
 * dropped because Gemini rejects the whole request on any unknown key; local `$ref`s are inlined;
 * `oneOf` becomes `anyOf`; `["x","null"]` types become `nullable`. `param` names the field in errors.
 */
export function toGeminiSchema(schema: unknown, param: string): GeminiSchema {
  if (!isObject(schema)) throw GatewayError.invalidRequest(`'${param}' must be a JSON Schema object.`, param);
  return convert(schema, { root: schema, param, refs: [] });
}

function convert(schema: JsonSchema, context: Context): GeminiSchema {
  if (context.refs.length > MAX_DEPTH) throw GatewayError.invalidRequest(`'${context.param}' is nested too deeply to convert for Gemini.`, context.param);
  if (typeof schema.$ref === 'string') return convert(resolveRef(schema.$ref, context), { ...context, refs: [...context.refs, schema.$ref] });
  const out: GeminiSchema = {};
  for (const key of COPIED_KEYS) if (schema[key] !== undefined) out[key] = schema[key];
  applyType(schema, out);
  if (Array.isArray(schema.enum)) applyEnum(schema.enum, out);
  if (schema.const !== undefined) applyEnum([schema.const], out);
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  if (format && FORMATS[out.type as string]?.includes(format)) out.format = format;
  if (isObject(schema.properties)) applyProperties(schema, out, context);
  if (isObject(schema.items)) out.items = convert(schema.items, context);
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) out.anyOf = variants.filter(isObject).map((variant) => convert(variant, context));
  if (Array.isArray(schema.allOf)) mergeAllOf(schema.allOf, out, context);
  return out;
}

function applyType(schema: JsonSchema, out: GeminiSchema): void {
  const raw = schema.type;
  const types = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((type): type is string => typeof type === 'string').map((type) => type.toUpperCase());
  const concrete = types.filter((type) => type !== 'NULL' && TYPES.has(type));
  if (types.includes('NULL') && concrete.length > 0) out.nullable = true;
  if (concrete.length === 1) out.type = concrete[0];
  else if (concrete.length > 1) out.anyOf = concrete.map((type) => ({ type }));
  else if (types.includes('NULL')) out.type = 'NULL';
  // An object schema without `type` is common in hand-written tool parameters.
  else if (isObject(schema.properties)) out.type = 'OBJECT';
}

/** Gemini enums are string-only; a non-string enum is dropped rather than sent to be rejected. */
function applyEnum(values: unknown[], out: GeminiSchema): void {
  if (!values.every((value) => typeof value === 'string')) return;
  out.enum = values;
  if (out.type === undefined || out.type === 'STRING') {
    out.type = 'STRING';
    out.format = 'enum';
  }
}

function applyProperties(schema: JsonSchema, out: GeminiSchema, context: Context): void {
  const properties: Record<string, GeminiSchema> = {};
  for (const [name, value] of Object.entries(schema.properties as JsonSchema)) {
    properties[name] = isObject(value) ? convert(value, context) : {};
  }
  out.properties = properties;
  // Gemini rejects `required` entries that name no property.
  if (Array.isArray(schema.required)) {
    const required = schema.required.filter((name): name is string => typeof name === 'string' && name in properties);
    if (required.length > 0) out.required = required;
  }
}

function mergeAllOf(parts: unknown[], out: GeminiSchema, context: Context): void {
  for (const part of parts.filter(isObject)) {
    const converted = convert(part, context);
    const properties = { ...(out.properties as object | undefined), ...(converted.properties as object | undefined) };
    const required = [...((out.required as string[] | undefined) ?? []), ...((converted.required as string[] | undefined) ?? [])];
    Object.assign(out, converted, Object.keys(properties).length > 0 ? { properties } : {}, required.length > 0 ? { required } : {});
  }
}

function resolveRef(ref: string, context: Context): JsonSchema {
  if (context.refs.includes(ref)) {
    throw GatewayError.invalidRequest(`'${context.param}' uses a recursive $ref (${ref}), which Gemini schemas cannot express.`, context.param);
  }
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const target = match ? (context.root[match[1]] as JsonSchema | undefined)?.[decodePointer(match[2])] : undefined;
  if (!isObject(target)) throw GatewayError.invalidRequest(`'${context.param}' has a $ref that cannot be resolved: ${ref}.`, context.param);
  return target;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
