import type { Type } from '@nestjs/common';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The OpenAPI description of a hot-path route, merged into the Swagger document at boot. */
export interface HotRouteDoc {
  /** DTO classes the operation references with getSchemaPath(). */
  readonly models: Type<unknown>[];
  readonly operation: OperationObject;
}
