import { createReadStream } from 'node:fs';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GatewayError } from '@app/core';

/** How much of an upload stays in memory before the rest goes to a temporary file. */
export const SPOOL_MEMORY_BYTES = 1024 * 1024;

/**
 * An uploaded file held until the gateway knows where it goes (the target depends on `model`,
 * which the official SDK may send after the file) and so that each upstream attempt — a retry, the
 * next target of the plan — can send it again. The first SPOOL_MEMORY_BYTES stay in memory; a
 * larger upload spills, as it arrives, to a file in its own directory under os.tmpdir(), which
 * `dispose()` removes (the route calls it when the response closes). Memory per upload is bounded
 * whatever the file size; the size limit is enforced while reading, before anything goes upstream.
 */
export class UploadSpool {
  private readonly memory: Buffer[] = [];
  private directory?: string;
  private handle?: FileHandle;
  private disposed = false;
  size = 0;

  private constructor(
    private readonly maxBytes: number,
    private readonly memoryBytes: number,
  ) {}

  /** Reads `source` to its end (pulling only as fast as the spool writes); 413 past `maxBytes`. */
  static async fill(source: AsyncIterable<Buffer>, maxBytes: number, memoryBytes = SPOOL_MEMORY_BYTES): Promise<UploadSpool> {
    const spool = new UploadSpool(maxBytes, memoryBytes);
    try {
      for await (const chunk of source) await spool.append(chunk);
      await spool.handle?.close();
      spool.handle = undefined;
    } catch (error) {
      await spool.dispose();
      throw error;
    }
    return spool;
  }

  /** A fresh reader over the whole upload (one per upstream attempt). */
  open(): Readable {
    if (this.disposed) throw new Error('the upload spool was already disposed');
    if (this.directory === undefined) return Readable.from(this.memory, { objectMode: false });
    const file = createReadStream(this.path());
    return this.memory.length === 0 ? file : Readable.from(concat(this.memory, file), { objectMode: false });
  }

  /** True once the upload went beyond memory to a temporary file. */
  get spilled(): boolean {
    return this.directory !== undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.memory.length = 0;
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    if (this.directory !== undefined) await rm(this.directory, { recursive: true, force: true });
  }

  private async append(chunk: Buffer): Promise<void> {
    this.size += chunk.length;
    if (this.size > this.maxBytes) throw uploadTooLarge(this.maxBytes);
    if (this.directory === undefined && this.size <= this.memoryBytes) {
      this.memory.push(chunk);
      return;
    }
    if (this.handle === undefined) {
      this.directory = await mkdtemp(join(tmpdir(), 'switchyard-audio-'));
      this.handle = await open(this.path(), 'wx', 0o600);
    }
    await this.handle.write(chunk);
  }

  private path(): string {
    return join(this.directory!, 'upload');
  }
}

/** 413 in the OpenAI envelope, naming the file. */
export function uploadTooLarge(maxBytes: number): GatewayError {
  return new GatewayError('payload_too_large', `The audio file exceeds the gateway's limit of ${maxBytes} bytes (AUDIO_MAX_BYTES).`, {
    param: 'file',
    code: 'file_too_large',
  });
}

async function* concat(head: readonly Buffer[], tail: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  yield* tail;
}
