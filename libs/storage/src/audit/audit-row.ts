import { storableNullableText, storableText } from '../database/storable-text';
import { AUDIT_TEXT_LIMITS, type AuditEntryEntity } from './audit-entry.entity';
import type { NewAuditEntry } from './new-audit-entry';

const INT32_MAX = 2_147_483_647;

function toInt(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.round(value), 0), INT32_MAX) : 0;
}

// Bodies are capped by the capture; this only makes them storable (NUL, lone surrogates).
const storableBody = (value: string | null) => (value === null ? null : storableText(value, Number.MAX_SAFE_INTEGER));

/**
 * Maps an entry to the row inserted into `audit_entries` (the id is generated). Like usage rows,
 * values are coerced into what the columns accept, so one odd request cannot fail a whole batch.
 */
export function toAuditRow(entry: NewAuditEntry): Omit<AuditEntryEntity, 'id'> {
  const limits = AUDIT_TEXT_LIMITS;
  return {
    createdAt: entry.createdAt,
    requestId: storableText(entry.requestId, limits.requestId),
    keyId: storableNullableText(entry.keyId, limits.keyId),
    keyName: storableNullableText(entry.keyName, limits.keyName),
    userPath: storableNullableText(entry.userPath, limits.userPath),
    method: storableText(entry.method, limits.method),
    route: storableText(entry.route, limits.route),
    path: storableText(entry.path, limits.path),
    requestedModel: storableNullableText(entry.requestedModel, limits.model),
    provider: storableNullableText(entry.provider, limits.provider),
    model: storableNullableText(entry.model, limits.model),
    attempts: entry.attempts && entry.attempts.length > 0 ? storableText(JSON.stringify(entry.attempts), 16_384) : null,
    status: toInt(entry.status),
    errorType: storableNullableText(entry.errorType, limits.errorType),
    errorMessage: storableNullableText(entry.errorMessage, limits.errorMessage),
    stream: entry.stream === true,
    latencyMs: toInt(entry.latencyMs),
    timeToFirstByteMs: entry.timeToFirstByteMs === null ? null : toInt(entry.timeToFirstByteMs),
    clientIp: storableNullableText(entry.clientIp, limits.clientIp),
    previousResponseId: storableNullableText(entry.previousResponseId, limits.responseRef),
    conversationId: storableNullableText(entry.conversationId, limits.responseRef),
    requestHeaders: entry.requestHeaders ? storableBody(JSON.stringify(entry.requestHeaders)) : null,
    requestBody: storableBody(entry.requestBody),
    responseBody: storableBody(entry.responseBody),
    bodyTruncated: entry.bodyTruncated === true,
    cache: entry.cache ?? null,
  };
}
