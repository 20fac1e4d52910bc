import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GatewayError } from '@app/core';

/** What a control-plane route does with a field its DTO does not declare. */
export type UnknownFields =
  /** Dropped: client-facing OpenAI routes (conversations, batches), so newer SDKs keep working. */
  | 'drop'
  /** Refused with a 400: admin writes, where a field the gateway cannot store (a typo, a newer option) must not pass for applied. */
  | 'refuse';

/** The first failing constraint, depth first, with its dotted parameter path (`limits.max_parallel`). */
function firstFailure(errors: ValidationError[], prefix = ''): { param: string; message: string; unknown: boolean } | null {
  for (const error of errors) {
    const param = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const messages = Object.values(constraints);
    if (messages.length > 0) return { param, message: messages[0], unknown: 'whitelistValidation' in constraints };
    const nested = firstFailure(error.children ?? [], param);
    if (nested) return nested;
  }
  return null;
}

/**
 * class-validator for the Nest (control-plane) routes — the inference routes never pay for it:
 * the first failure becomes a 400 in the OpenAI envelope naming the offending parameter, and a
 * refused unknown field is worded as OpenAI words it.
 */
export function dtoValidationPipe(unknownFields: UnknownFields): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: unknownFields === 'refuse',
    exceptionFactory: (errors) => {
      const failure = firstFailure(errors);
      if (failure?.unknown) return GatewayError.invalidRequest(`Unrecognized request argument supplied: ${failure.param}`, failure.param);
      return GatewayError.invalidRequest(failure?.message ?? 'Invalid request.', failure?.param);
    },
  });
}
