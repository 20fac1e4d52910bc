import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Text column lengths, shared by the entity and the row mapper (which truncates to them). */
export const AUDIT_TEXT_LIMITS = {
  requestId: 128,
  keyId: 64,
  keyName: 255,
  userPath: 255,
  method: 16,
  route: 128,
  path: 2048,
  model: 255,
  provider: 64,
  errorType: 64,
  errorMessage: 1024,
  clientIp: 64,
  responseRef: 128,
} as const;

/**
 * One row of `audit_entries`: who called what, when, what answered and how it went; bodies only
 * when AUDIT_BODIES asks for them. Written only through AuditRepository.
 */
export class AuditEntryEntity {
  id: string;
  createdAt: Date;
  requestId: string;
  keyId: string | null;
  keyName: string | null;
  userPath: string | null;
  method: string;
  /** Route template (`/v1/chat/completions`, `/v1/files/:id`) or `unmatched`. */
  route: string;
  /** The path as requested, without its query string. */
  path: string;
  /** The model the client asked for (the body's `model`). */
  requestedModel: string | null;
  provider: string | null;
  model: string | null;
  /** JSON array of the `provider/model` targets tried, in order (failover). */
  attempts: string | null;
  status: number;
  errorType: string | null;
  errorMessage: string | null;
  stream: boolean;
  latencyMs: number;
  timeToFirstByteMs: number | null;
  clientIp: string | null;
  /** Responses API links from the request: `previous_response_id`, `conversation`. */
  previousResponseId: string | null;
  conversationId: string | null;
  /** JSON object of the request headers, credentials removed (captured with bodies). */
  requestHeaders: string | null;
  requestBody: string | null;
  responseBody: string | null;
  /** A captured body was longer than AUDIT_BODY_MAX_BYTES and was cut. */
  bodyTruncated: boolean;
  /** The response cache's verdict (HIT, MISS, BYPASS); null when the cache was not consulted. */
  cache: string | null;
}

const text = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length, nullable }) as const;
const longText = (name: string) => ({ name, type: 'text', nullable: true }) as const;

/** The `audit_entries` mapping for one database (see instantColumn). */
export function auditEntrySchema(kind: DatabaseKind): EntitySchema<AuditEntryEntity> {
  const limits = AUDIT_TEXT_LIMITS;
  return new EntitySchema<AuditEntryEntity>({
    name: AuditEntryEntity.name,
    target: AuditEntryEntity,
    tableName: 'audit_entries',
    columns: {
      id: { type: 'uuid', primary: true, generated: 'uuid', primaryKeyConstraintName: 'pk_audit_entries' },
      createdAt: instantColumn(kind, 'created_at'),
      requestId: text('request_id', limits.requestId),
      keyId: text('key_id', limits.keyId, true),
      keyName: text('key_name', limits.keyName, true),
      userPath: text('user_path', limits.userPath, true),
      method: text('method', limits.method),
      route: text('route', limits.route),
      path: text('path', limits.path),
      requestedModel: text('requested_model', limits.model, true),
      provider: text('provider', limits.provider, true),
      model: text('model', limits.model, true),
      attempts: longText('attempts'),
      status: { name: 'status', type: 'integer' },
      errorType: text('error_type', limits.errorType, true),
      errorMessage: text('error_message', limits.errorMessage, true),
      stream: { name: 'stream', type: 'boolean', default: false },
      latencyMs: { name: 'latency_ms', type: 'integer' },
      timeToFirstByteMs: { name: 'time_to_first_byte_ms', type: 'integer', nullable: true },
      clientIp: text('client_ip', limits.clientIp, true),
      previousResponseId: text('previous_response_id', limits.responseRef, true),
      conversationId: text('conversation_id', limits.responseRef, true),
      requestHeaders: longText('request_headers'),
      requestBody: longText('request_body'),
      responseBody: longText('response_body'),
      bodyTruncated: { name: 'body_truncated', type: 'boolean', default: false },
      cache: text('cache', 8, true),
    },
    indices: [...AUDIT_INDEXES.map(({ name, columns }) => ({ name, columns: [...columns] })), ...AUDIT_ERROR_INDEXES],
  });
}

/** Every filter of the audit log leads an index; `(created_at, id)` last is the keyset order. */
const AUDIT_INDEXES = [
  { name: 'idx_audit_entries_created_at_id', columns: ['createdAt', 'id'] },
  { name: 'idx_audit_entries_request_id', columns: ['requestId'] },
  { name: 'idx_audit_entries_key_id_created_at', columns: ['keyId', 'createdAt'] },
  { name: 'idx_audit_entries_user_path_created_at', columns: ['userPath', 'createdAt'] },
  { name: 'idx_audit_entries_model_created_at', columns: ['model', 'createdAt'] },
  { name: 'idx_audit_entries_provider_created_at', columns: ['provider', 'createdAt'] },
  { name: 'idx_audit_entries_status_created_at', columns: ['status', 'createdAt'] },
  { name: 'idx_audit_entries_previous_response_id', columns: ['previousResponseId'] },
  { name: 'idx_audit_entries_conversation_id', columns: ['conversationId'] },
] as const;

/** Partial, over failed requests only: the error pages per filter (migration 1797000000000). */
const AUDIT_ERROR_INDEXES = (['model', 'provider', 'keyId', 'userPath'] as const).map((column) => ({
  name: `idx_audit_entries_errors_${column.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}_created_at`,
  columns: [column, 'createdAt'],
  where: 'status >= 400',
}));
