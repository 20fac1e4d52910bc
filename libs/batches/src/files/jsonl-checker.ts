/** What a batch input file may hold at most (OpenAI's Batch API limits). */
export interface JsonlLimits {
  readonly maxLines: number;
  readonly maxBytes: number;
  /** Longest line checked; one line is held in memory to parse it. */
  readonly maxLineBytes: number;
}

/** OpenAI's limits for a batch input file: 50,000 requests, 200 MB. */
export const BATCH_FILE_LIMITS = { maxLines: 50_000, maxBytes: 200 * 1024 * 1024 } as const;

const NEWLINE = 0x0a;

/**
 * Checks, as the bytes stream past, that content is JSONL within limits: every non-blank line
 * parses as a JSON object. Only the current line is held. After the first problem it stops
 * looking (so binary files cost almost nothing) and `finish()` reports that problem; the checker
 * never throws, so the caller decides whether the problem matters (it only does for `batch`).
 */
export class JsonlChecker {
  private problem?: string;
  private line: Buffer[] = [];
  private lineBytes = 0;
  private lines = 0;
  private bytes = 0;

  constructor(private readonly limits: JsonlLimits) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.problem !== undefined) return;
    if (this.bytes > this.limits.maxBytes) return this.fail(`a batch input file may be at most ${this.limits.maxBytes} bytes`);
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1 && this.problem === undefined; end = chunk.indexOf(NEWLINE, start)) {
      this.append(chunk.subarray(start, end));
      this.endLine();
      start = end + 1;
    }
    if (this.problem === undefined && start < chunk.length) this.append(chunk.subarray(start));
  }

  /** The first problem found (the last line included), or undefined when the content is valid JSONL. */
  finish(): string | undefined {
    if (this.problem === undefined && this.lineBytes > 0) this.endLine();
    if (this.problem === undefined && this.lines === 0) this.fail('the file has no lines');
    return this.problem;
  }

  private append(piece: Buffer): void {
    if (this.problem !== undefined || piece.length === 0) return;
    this.lineBytes += piece.length;
    if (this.lineBytes > this.limits.maxLineBytes) return this.fail(`line ${this.lines + 1} is longer than ${this.limits.maxLineBytes} bytes`);
    // A copy: the caller's buffer may be reused once push() returns.
    this.line.push(Buffer.from(piece));
  }

  private endLine(): void {
    if (this.problem !== undefined) return;
    const text = Buffer.concat(this.line, this.lineBytes).toString('utf8');
    this.line = [];
    this.lineBytes = 0;
    if (text.trim() === '') return;
    this.lines += 1;
    if (this.lines > this.limits.maxLines) return this.fail(`a batch input file may have at most ${this.limits.maxLines} lines`);
    if (!isJsonObject(text)) this.fail(`line ${this.lines} is not a JSON object`);
  }

  private fail(problem: string): void {
    this.problem = problem;
    this.line = [];
    this.lineBytes = 0;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
