import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { redactSecrets } from '@app/core';
import { requestContext } from './request-context';

/**
 * Field paths whose values must never reach a log line. Headers are redacted wherever they are
 * logged; keys are redacted under any object name.
 */
/**
 * The request id of the request being served, on every line logged while serving it. A new object
 * each time: pino merges the line's own fields into the mixin's object.
 */
function requestFields(): object {
  const context = requestContext.getStore();
  return context === undefined ? {} : { requestId: context.requestId };
}

const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["api-key"]',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'masterKey',
  '*.masterKey',
];

export function createPinoLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchyard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: requestFields,
      // Paths only catch known field names; a credential inside any string (an upstream error
      // message, an error's stack, a URL) is redacted from the finished line, wherever it sits.
      hooks: { streamWrite: (line) => redactSecrets(line) },
    },
    destination ?? pino.destination({ sync: false }),
  );
}

/** Nest's LoggerService on top of pino: JSON lines, one per message, with the Nest context. */
export class StructuredLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace);
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context?: string, trace?: string): void {
    if (!this.pino.isLevelEnabled(level)) return;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ context, ...message });
    } else {
      this.pino[level]({ context, ...(trace ? { stack: trace } : {}) }, String(message));
    }
  }
}
