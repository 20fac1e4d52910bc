import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayError, type GatewayErrorKind, toOpenAIError } from '@app/core';
import { isStorageUnavailable, StorageUnavailableError } from '@app/storage';
import { AUDIT_FAILURE, type AuditedFailure } from '../pipeline/audit-capture';
import { closeAfterResponse } from './close-after-response';
import { errorHeaders } from './error-response';

const KIND_BY_STATUS: Record<number, GatewayErrorKind> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
  501: 'not_implemented',
  503: 'unavailable',
};

/**
 * The one exception filter for routes served through Nest: every error leaves in the OpenAI
 * envelope (the hot-path routes use the same renderer), a database outage as a 503. Health
 * checks keep terminus's own body, which Kubernetes and humans read as it is.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(GatewayExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof HttpException && request.path.startsWith('/health')) {
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const error = this.toGatewayError(exception);
    if (error.kind === 'internal') this.logger.error({ msg: 'unhandled error', path: request.path, err: exception });
    const rendered = toOpenAIError(error);
    // The audit entry of this request, written when the response closes, names the failure.
    response.locals[AUDIT_FAILURE] = { type: error.kind, message: error.message } satisfies AuditedFailure;
    closeAfterResponse(response);
    response.set(errorHeaders(error, rendered.status, 'openai'));
    response.status(rendered.status).json(rendered.body);
  }

  private toGatewayError(exception: unknown): GatewayError {
    if (exception instanceof GatewayError) return exception;
    // A database outage is the client's 503 to retry, from whichever repository met it.
    if (isStorageUnavailable(exception)) return new StorageUnavailableError(exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest's HttpException bodies carry `message` as a string, or a list of them (ValidationPipe).
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : String((body as { message?: string | string[] }).message ?? exception.message);
      return new GatewayError(KIND_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_request'), message, { status });
    }
    // Errors thrown by Express's body parser carry a `type` and a status.
    const type = (exception as { type?: string })?.type;
    if (type === 'entity.too.large') return new GatewayError('payload_too_large', "The request body exceeds the gateway's size limit.");
    if (type === 'entity.parse.failed') return GatewayError.invalidRequest('We could not parse the JSON body of your request.');
    // The parser's other refusals (unsupported charset or content encoding 415, aborted or short body 400) stay 4xx.
    const status = (exception as { status?: unknown })?.status;
    if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
      return new GatewayError(KIND_BY_STATUS[status] ?? 'invalid_request', `The request body could not be read (${type}).`, { status });
    }
    return new GatewayError('internal', 'The gateway failed to process the request.');
  }
}
