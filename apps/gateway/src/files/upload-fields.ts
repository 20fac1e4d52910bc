import { GatewayError } from '@app/core';

/** The purposes OpenAI's Files API accepts. */
export const FILE_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;

const HOUR_S = 3_600;
const DAY_S = 86_400;
/** OpenAI: batch files expire after 30 days unless told otherwise; other files are kept until deleted. */
const BATCH_DEFAULT_EXPIRY_S = 30 * DAY_S;

/** The form fields of an upload, checked: what the stored file is created with. */
export interface UploadFields {
  readonly purpose: string;
  /** Unix seconds; null = never. */
  readonly expiresAt: number | null;
}

/** Checks `purpose` and `expires_after[anchor|seconds]`, naming the field at fault as OpenAI does. */
export function readUploadFields(fields: ReadonlyMap<string, string>, createdAt: number): UploadFields {
  const purpose = fields.get('purpose');
  if (purpose === undefined || purpose === '') throw GatewayError.invalidRequest("Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
  if (!(FILE_PURPOSES as readonly string[]).includes(purpose)) {
    throw GatewayError.invalidRequest(
      `Invalid value for 'purpose': '${purpose.slice(0, 64)}'. Supported values are: ${FILE_PURPOSES.map((p) => `'${p}'`).join(', ')}.`,
      'purpose',
      'invalid_value',
    );
  }
  const seconds = readExpirySeconds(fields);
  if (seconds !== undefined) return { purpose, expiresAt: createdAt + seconds };
  return { purpose, expiresAt: purpose === 'batch' ? createdAt + BATCH_DEFAULT_EXPIRY_S : null };
}

function readExpirySeconds(fields: ReadonlyMap<string, string>): number | undefined {
  const anchor = fields.get('expires_after[anchor]');
  const raw = fields.get('expires_after[seconds]');
  if (anchor === undefined && raw === undefined) return undefined;
  if (anchor !== 'created_at') {
    throw GatewayError.invalidRequest("Invalid value for 'expires_after.anchor': expected 'created_at'.", 'expires_after.anchor', 'invalid_value');
  }
  const seconds = raw !== undefined && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= HOUR_S && seconds <= 30 * DAY_S)) {
    throw GatewayError.invalidRequest(
      `Invalid 'expires_after.seconds': expected an integer between ${HOUR_S} (1 hour) and ${30 * DAY_S} (30 days).`,
      'expires_after.seconds',
      'invalid_value',
    );
  }
  return seconds;
}
