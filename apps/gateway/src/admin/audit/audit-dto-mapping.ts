import type { AuditEntryEntity } from '@app/storage';
import type { AuditEntryDto, AuditEntrySummaryDto } from './audit.dto';

export function summaryDto(entry: AuditEntryEntity): AuditEntrySummaryDto {
  return {
    id: entry.id,
    created_at: entry.createdAt.toISOString(),
    request_id: entry.requestId,
    key_id: entry.keyId,
    key_name: entry.keyName,
    user_path: entry.userPath,
    method: entry.method,
    route: entry.route,
    path: entry.path,
    requested_model: entry.requestedModel,
    provider: entry.provider,
    model: entry.model,
    attempts: entry.attempts ? (JSON.parse(entry.attempts) as string[]) : [],
    status: entry.status,
    error_type: entry.errorType,
    error_message: entry.errorMessage,
    stream: entry.stream,
    latency_ms: entry.latencyMs,
    time_to_first_byte_ms: entry.timeToFirstByteMs,
    client_ip: entry.clientIp,
    previous_response_id: entry.previousResponseId,
    conversation_id: entry.conversationId,
    body_truncated: entry.bodyTruncated,
    cache: entry.cache,
  };
}

export function entryDto(entry: AuditEntryEntity): AuditEntryDto {
  return {
    object: 'audit.entry',
    ...summaryDto(entry),
    request_headers: entry.requestHeaders ? (JSON.parse(entry.requestHeaders) as Record<string, string>) : null,
    request_body: entry.requestBody,
    response_body: entry.responseBody,
  };
}
