import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GatewayError } from '@app/core';

function firstFailure(errors: ValidationError[], prefix = ''): { param: string; message: string } | null {
  for (const error of errors) {
    const param = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) return { param, message: messages[0] };
    const nested = firstFailure(error.children ?? [], param);
    if (nested) return nested;
  }
  return null;
}

/**
 * class-validator for admin routes: the first failure becomes a 400 in the OpenAI envelope naming
 * the offending parameter. Unknown fields are refused, not dropped: an operator who sends a field
 * this gateway cannot store (a typo, a newer option) must learn that it had no effect.
 */
export function adminValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const failure = firstFailure(errors);
      return GatewayError.invalidRequest(failure?.message ?? 'Invalid request.', failure?.param);
    },
  });
}
