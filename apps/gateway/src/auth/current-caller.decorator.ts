import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ANONYMOUS, type Caller } from './caller';

/** The Caller the AuthGuard authenticated for this Nest-routed request. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  return context.switchToHttp().getRequest<{ caller?: Caller }>().caller ?? ANONYMOUS;
});
