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
 * class-validator for the conversation routes only (the inference routes never pay for it):
 * the first failure becomes a 400 in the OpenAI envelope naming the offending parameter.
 */
export function conversationsValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    // Unknown fields are dropped rather than refused, so newer SDKs keep working.
    whitelist: true,
    exceptionFactory: (errors) => {
      const failure = firstFailure(errors);
      return GatewayError.invalidRequest(failure?.message ?? 'Invalid request.', failure?.param);
    },
  });
}
