import type { KeyLimits, NewManagedKey } from '@app/governance';
import type { AuthKeyPatch } from '@app/storage';
import type { CreateAuthKeyDto } from './dto/create-auth-key.dto';
import type { KeyLimitsDto } from './dto/key-limits.dto';
import type { UpdateAuthKeyDto } from './dto/update-auth-key.dto';

// The admin API speaks snake_case; the services take camelCase.

function limitsOf(dto: KeyLimitsDto | null | undefined): KeyLimits | null | undefined {
  if (dto == null) return dto;
  return { requestsPerMinute: dto.requests_per_minute, tokensPerMinute: dto.tokens_per_minute, maxParallel: dto.max_parallel };
}

const dateOf = (value: string | null | undefined) => (value == null ? value : new Date(value));

export function toNewKey(body: CreateAuthKeyDto): NewManagedKey {
  return {
    name: body.name,
    description: body.description,
    userPath: body.user_path,
    models: body.models,
    scopes: body.scopes,
    limits: limitsOf(body.limits),
    expiresAt: dateOf(body.expires_at),
  };
}

export function toKeyPatch(body: UpdateAuthKeyDto): AuthKeyPatch {
  return { name: body.name, description: body.description, models: body.models, limits: limitsOf(body.limits), expiresAt: dateOf(body.expires_at) };
}
