import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GatewayError } from '@app/core';

function firstFailure(errors: ValidationError[]): { param: string; message: string } | null {
  for (const error of errors) {
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) return { param: error.property, message: messages[0] };
  }
  return null;
}

/**
 * class-validator for the pricing admin routes: the first failure becomes a 400 in the OpenAI
 * envelope naming the field. Unknown fields are refused, not dropped: a misspelt price key
 * (`input_mtoks`) silently ignored would leave a model priced at the old rate.
 */
export function pricingValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const failure = firstFailure(errors);
      const unknown = errors.find((error) => error.constraints?.whitelistValidation);
      if (unknown && failure?.param === unknown.property) return GatewayError.invalidRequest(`Unrecognized request argument supplied: ${unknown.property}`, unknown.property);
      return GatewayError.invalidRequest(failure?.message ?? 'Invalid request.', failure?.param);
    },
  });
}
