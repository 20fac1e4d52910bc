import { ValidateBy, type ValidationOptions } from 'class-validator';

/** OpenAI's metadata limits: 16 pairs, keys up to 64 characters, string values up to 512. */
export const METADATA_LIMITS = { maxPairs: 16, maxKeyLength: 64, maxValueLength: 512 } as const;

/** Why `value` is not valid metadata, or null when it is. */
export function metadataProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected an object of string keys and string values';
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.maxPairs) {
    return `expected at most ${METADATA_LIMITS.maxPairs} key-value pairs, but got ${entries.length}`;
  }
  for (const [key, entry] of entries) {
    if (key.length > METADATA_LIMITS.maxKeyLength) return `key '${key.slice(0, 80)}' is longer than ${METADATA_LIMITS.maxKeyLength} characters`;
    if (typeof entry !== 'string') return `the value of '${key}' must be a string`;
    if (entry.length > METADATA_LIMITS.maxValueLength) return `the value of '${key}' is longer than ${METADATA_LIMITS.maxValueLength} characters`;
  }
  return null;
}

/** Validates a Responses-style metadata object (see METADATA_LIMITS). */
export function IsConversationMetadata(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isConversationMetadata',
      validator: {
        validate: (value: unknown) => metadataProblem(value) === null,
        defaultMessage: (args) => `Invalid '${args?.property}': ${metadataProblem(args?.value)}.`,
      },
    },
    options,
  );
}
