import { extname } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { type FileLocation, FileStore } from '@app/batches';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import type { RoutePlan } from '@app/providers';
import type { Caller } from '../auth/caller';
import { notFound } from './not-found';

/** Dialects whose adapters take inline files (`file_data`): OpenAI/Azure as is, Anthropic as `document`, Gemini as `inline_data`. */
const INLINE_DIALECTS: ReadonlySet<string> = new Set(['openai', 'azure', 'anthropic', 'gemini']);
/** What an upload without a useful type most likely is, by extension (the providers need a media type). */
const TYPE_BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.json': 'application/json',
};

/** One `file` content part that names a file by id, with where it sits in the request. */
interface FileReference {
  readonly part: { file: Record<string, unknown> };
  readonly id: string;
  /** e.g. `messages[0].content[1].file.file_id`. */
  readonly param: string;
}

/**
 * Replaces Chat Completions `file` parts that name a Switchyard file (`{type:"file", file:{file_id}}`)
 * with the file inline (`file_data`, a base64 data URL), which every provider that accepts files
 * takes; refuses, naming the part, when a target provider takes no files. Costs the hot path one
 * substring test unless a request names a file id.
 */
@Injectable()
export class FileInliner {
  constructor(
    private readonly store: FileStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** True when the body may name a file by id (the cheap test before any walk). */
  mayReferenceFiles(bodyText: string): boolean {
    return bodyText.includes('"file_id"');
  }

  /** Inlines every referenced file into `body` (in place), for the plan's targets. */
  async inline(caller: Caller, body: Record<string, unknown>, plan: RoutePlan): Promise<void> {
    for (const reference of fileReferences(body)) {
      const location = await this.store.locate({ keyId: caller.keyId, userPath: caller.userPath }, reference.id);
      if (!location) throw withParam(notFound(reference.id), reference.param);
      if (location.provider !== null) {
        this.checkHeldBy(location, plan, reference);
        continue;
      }
      this.checkTargets(plan, reference);
      reference.part.file = { filename: location.file.filename, file_data: await this.dataUrl(location, reference) };
    }
  }

  /** A provider's own file stays a file id: usable only when every target is that provider. */
  private checkHeldBy(location: FileLocation, plan: RoutePlan, reference: FileReference): void {
    const other = plan.targets.find((target) => target.provider.name !== location.provider);
    if (other) {
      throw GatewayError.invalidRequest(
        `File '${reference.id}' is held by provider '${location.provider}' and cannot be sent to '${other.provider.name}'.`,
        reference.param,
        'file_not_on_provider',
      );
    }
  }

  private checkTargets(plan: RoutePlan, reference: FileReference): void {
    const refusing = plan.targets.find((target) => !INLINE_DIALECTS.has(target.provider.config.dialect));
    if (refusing) {
      throw GatewayError.invalidRequest(
        `Provider '${refusing.provider.name}' does not accept files; '${reference.param}' cannot be sent to it.`,
        reference.param,
        'files_not_supported',
      );
    }
  }

  private async dataUrl(location: FileLocation, reference: FileReference): Promise<string> {
    const limit = this.config.files.inlineMaxBytes;
    if (location.file.bytes > limit) {
      throw GatewayError.invalidRequest(
        `File '${reference.id}' is ${location.file.bytes} bytes; files sent inline may be at most ${limit} bytes (FILES_INLINE_MAX_BYTES).`,
        reference.param,
        'file_too_large',
      );
    }
    const content = await this.store.content(null, location.file.id);
    if (!content) throw withParam(notFound(reference.id), reference.param);
    const parts: Buffer[] = [];
    for await (const chunk of content.body) parts.push(chunk);
    return `data:${mediaType(location)};base64,${Buffer.concat(parts).toString('base64')}`;
  }
}

function fileReferences(body: Record<string, unknown>): FileReference[] {
  const references: FileReference[] = [];
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  messages.forEach((message, m) => {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) return;
    content.forEach((part: unknown, c) => {
      const file = (part as { type?: unknown; file?: unknown } | null)?.type === 'file' ? (part as { file?: unknown }).file : undefined;
      const id = (file as { file_id?: unknown } | undefined)?.file_id;
      if (typeof id === 'string') references.push({ part: part as FileReference['part'], id, param: `messages[${m}].content[${c}].file.file_id` });
    });
  });
  return references;
}

function mediaType(location: FileLocation): string {
  const stored = location.contentType.split(';', 1)[0].trim().toLowerCase();
  if (stored && stored !== 'application/octet-stream') return stored;
  return TYPE_BY_EXTENSION[extname(location.file.filename).toLowerCase()] ?? 'application/octet-stream';
}

function withParam(error: GatewayError, param: string): GatewayError {
  return new GatewayError(error.kind, error.message, { param, code: error.code });
}
