import { Injectable } from '@nestjs/common';
import { type BatchItemResult, BatchItemsRepository, BatchesRepository, type StoredBatch } from '@app/storage';
import { FileStore } from '../files/file-store';
import { withStatus } from './batch-object';
import { outputLine } from './output-line';

const PAGE = 1_000;
const ENDED = ['succeeded', 'failed', 'cancelled', 'expired'];
export type TerminalStatus = 'completed' | 'cancelled' | 'expired';

/**
 * Ends an emulated batch: moves it to `finalizing`, streams its items once each into the output
 * file (2xx answers) and the error file (other answers and failures) in line order, page by page,
 * then stores the terminal status with the file ids. A worker that dies while finalizing leaves
 * the batch `finalizing`; the sweep resumes it and the files are written again (the first attempt's
 * partial files are never referenced).
 */
@Injectable()
export class BatchFinalizer {
  constructor(
    private readonly batches: BatchesRepository,
    private readonly items: BatchItemsRepository,
    private readonly files: FileStore,
  ) {}

  async finalize(batch: StoredBatch, status: TerminalStatus): Promise<boolean> {
    const from = [batch.status];
    let body = batch.body;
    if (status === 'completed' && batch.status !== 'finalizing') {
      body = withStatus(body, 'finalizing');
      if (!(await this.batches.update(batch.id, { status: 'finalizing', body }, from))) return false;
      from.splice(0, 1, 'finalizing');
    }
    const owner = { keyId: batch.keyId, userPath: batch.userPath };
    const output = await this.writeFile(batch, owner, 'output', (item) => item.status === 'succeeded' && isSuccess(item));
    const errors = await this.writeFile(batch, owner, 'error', (item) => !(item.status === 'succeeded' && isSuccess(item)));
    const counts = await this.items.counts(batch.id);
    const final = withStatus(body, status, { output_file_id: output, error_file_id: errors });
    return this.batches.update(batch.id, { status, body: final, completedCount: counts.succeeded, failedCount: counts.failed }, from);
  }

  /** Streams the matching items into a new file; null when none match (OpenAI leaves the id null then). */
  private async writeFile(
    batch: StoredBatch,
    owner: { keyId: string | null; userPath: string | null },
    kind: 'output' | 'error',
    keep: (item: BatchItemResult) => boolean,
  ): Promise<string | null> {
    let any = false;
    const items = this.items;
    async function* lines(): AsyncGenerator<Buffer> {
      for (let after = -1; ;) {
        const page = await items.page(batch.id, after, PAGE, ENDED);
        if (page.length === 0) return;
        after = page[page.length - 1].position;
        const text = page
          .filter(keep)
          .map((item) => `${JSON.stringify(outputLine(batch.id, item))}\n`)
          .join('');
        if (text) yield Buffer.from(text);
      }
    }
    // A first pass over one page tells whether the file is needed, so no empty files are created.
    for (let after = -1; !any;) {
      const page = await items.page(batch.id, after, PAGE, ENDED);
      if (page.length === 0) break;
      any = page.some(keep);
      after = page[page.length - 1].position;
    }
    if (!any) return null;
    const file = await this.files.create(owner, { filename: `${batch.id}_${kind}.jsonl`, purpose: 'batch_output', contentType: 'application/jsonl' }, lines(), {
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    return file.id;
  }
}

function isSuccess(item: BatchItemResult): boolean {
  return item.statusCode !== null && item.statusCode >= 200 && item.statusCode < 300;
}
