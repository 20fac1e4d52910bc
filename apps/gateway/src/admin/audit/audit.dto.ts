import { ApiProperty } from '@nestjs/swagger';
import { ListPageDto } from '../list-page.dto';

/** One audit entry without its bodies (list pages, threads, live events). */
export class AuditEntrySummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() request_id!: string;
  @ApiProperty({ nullable: true, type: String }) key_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) key_name!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_path!: string | null;
  @ApiProperty() method!: string;
  @ApiProperty({ description: 'Route template, or `unmatched`.' }) route!: string;
  @ApiProperty({ description: 'Path as requested, without the query string.' }) path!: string;
  @ApiProperty({ nullable: true, type: String, description: "The body's `model`." }) requested_model!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Provider that answered (or was tried last).' }) provider!: string | null;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ type: [String], description: '`provider/model` targets tried, in order (failover).' }) attempts!: string[];
  @ApiProperty() status!: number;
  @ApiProperty({ nullable: true, type: String }) error_type!: string | null;
  @ApiProperty({ nullable: true, type: String }) error_message!: string | null;
  @ApiProperty() stream!: boolean;
  @ApiProperty() latency_ms!: number;
  @ApiProperty({ nullable: true, type: Number }) time_to_first_byte_ms!: number | null;
  @ApiProperty({ nullable: true, type: String }) client_ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) previous_response_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) conversation_id!: string | null;
  @ApiProperty({ description: 'A captured body was cut at AUDIT_BODY_MAX_BYTES.' }) body_truncated!: boolean;
  @ApiProperty({ nullable: true, type: String, enum: ['HIT', 'MISS', 'BYPASS'], description: "The response cache's verdict; null when the cache did not judge the request." })
  cache!: string | null;
}

/** One audit entry in full: headers (credentials removed) and bodies when AUDIT_BODIES captured them. */
export class AuditEntryDto extends AuditEntrySummaryDto {
  @ApiProperty({ enum: ['audit.entry'] }) object!: 'audit.entry';
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'string' } }) request_headers!: Record<string, string> | null;
  @ApiProperty({ nullable: true, type: String, description: 'Redacted, capped.' }) request_body!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Redacted, capped (the head of a stream).' }) response_body!: string | null;
}

export class AuditLogDto extends ListPageDto {
  @ApiProperty({ type: [AuditEntrySummaryDto] }) data!: AuditEntrySummaryDto[];
}

/** A stored Responses API response in a thread. */
export class ThreadResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() status!: string;
  @ApiProperty() provider!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ nullable: true, type: String }) previous_response_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) conversation_id!: string | null;
}

export class ThreadConversationDto {
  @ApiProperty() id!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
}

export class AuditThreadDto {
  @ApiProperty({ enum: ['audit.thread'] }) object!: 'audit.thread';
  @ApiProperty({ type: AuditEntrySummaryDto }) entry!: AuditEntrySummaryDto;
  @ApiProperty({ type: [ThreadResponseDto], description: 'The `previous_response_id` chain the entry continued, oldest first (stored responses only).' })
  responses!: ThreadResponseDto[];
  @ApiProperty({ type: ThreadConversationDto, nullable: true }) conversation!: ThreadConversationDto | null;
  @ApiProperty({ type: [AuditEntrySummaryDto], description: 'Requests continuing the same chain or conversation, oldest first.' }) entries!: AuditEntrySummaryDto[];
}
