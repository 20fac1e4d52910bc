import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { StoredAuthKey } from '@app/storage';
import { KeyLimitsDto } from './key-limits.dto';

/** A managed key as the admin API shows it: never its secret, only `redacted_value`. */
export class AuthKeyDto {
  @ApiProperty({ example: 'auth_key' }) object!: 'auth_key';
  @ApiProperty({ example: 'key_0193a1b2c3d4e5f6a7b8c9d0e1f2' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '/acme/search' }) user_path!: string | null;
  @ApiProperty({ nullable: true, type: [String] }) models!: readonly string[] | null;
  @ApiProperty({ type: [String], enum: ['inference', 'admin'] }) scopes!: readonly string[];
  @ApiProperty({ nullable: true, type: KeyLimitsDto }) limits!: KeyLimitsDto | null;
  @ApiProperty({ example: 'sk-sy-…a1b2' }) redacted_value!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expires_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Recorded about once a minute, not per request.' }) last_used_at!: string | null;
}

/** The answer to creation: the key and its secret, shown this once. */
export class CreatedAuthKeyDto extends AuthKeyDto {
  @ApiProperty({ description: 'The secret. Shown only in this answer: store it now.', example: 'sk-sy-…' }) value!: string;
}

/** A page of keys, newest first, in OpenAI's list shape. */
export class AuthKeyListDto {
  @ApiProperty({ example: 'list' }) object!: 'list';
  @ApiProperty({ type: [AuthKeyDto] }) data!: AuthKeyDto[];
  @ApiProperty() has_more!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) first_id!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) last_id!: string | null;
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export function toAuthKeyDto(key: StoredAuthKey): AuthKeyDto {
  const limits = key.limits && { requests_per_minute: key.limits.requestsPerMinute, tokens_per_minute: key.limits.tokensPerMinute, max_parallel: key.limits.maxParallel };
  return {
    object: 'auth_key',
    id: key.id,
    name: key.name,
    description: key.description,
    user_path: key.userPath,
    models: key.models,
    scopes: key.scopes,
    limits,
    redacted_value: key.redactedValue,
    active: key.active,
    expires_at: iso(key.expiresAt),
    created_at: key.createdAt.toISOString(),
    updated_at: key.updatedAt.toISOString(),
    last_used_at: iso(key.lastUsedAt),
  };
}
