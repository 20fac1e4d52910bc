import { applyDecorators, SetMetadata, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ROUTE_ACCESS } from '../auth/auth.decorators';
import type { RouteAccess } from '../auth/caller';
import { dtoValidationPipe } from '../http/dto-validation.pipe';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';

/**
 * An admin controller: the `admin` scope (the pipeline already refuses /admin/* to other callers
 * before Express; this states it where the route is declared), Swagger's auth and error docs, and
 * class-validator on its DTOs with the first failure as a 400 naming the parameter (the same pipe
 * as the conversation routes).
 */
export function AdminController(tag: string): ClassDecorator {
  return applyDecorators(
    SetMetadata(ROUTE_ACCESS, 'admin' satisfies RouteAccess),
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: OpenAIErrorEnvelopeDto, description: 'No key, or an unknown one.' }),
    ApiForbiddenResponse({ type: OpenAIErrorEnvelopeDto, description: 'The key lacks the `admin` scope.' }),
    UsePipes(dtoValidationPipe('drop')),
  );
}
