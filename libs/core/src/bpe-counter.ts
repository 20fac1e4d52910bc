/** The parts of a tiktoken rank table this counter reads (the shape of js-tiktoken's `ranks/*`). */
export interface BpeRankTable {
  readonly pat_str: string;
  readonly bpe_ranks: string;
}

/**
 * Longest run one quantifier of the pre-tokenization pattern may take. The tokenizer's own pattern
 * uses `+` and `*`, so a long run of one character class ("aaaa…", 100 KB of one emoji, of
 * spaces, of CJK text without spaces) is one piece, and byte-pair merging a piece costs far more
 * than its length: 10,000 × "a" took 10 s. Bounding every quantifier caps each piece at about
 * 2 × MAX_RUN characters while leaving every shorter run exactly as the tokenizer splits it. Merges
 * never cross piece boundaries, so only runs longer than this count differently (by about one token
 * per MAX_RUN characters: an estimate shift well under 1 % on such runs, none on ordinary text).
 */
const MAX_RUN = 256;

// Heap entries pack (rank, byte offset) into one number; offsets stay below this (3 bytes per
// UTF-16 unit at most, pieces at most 2 × MAX_RUN + 4 units long).
const OFFSET_SPAN = 8192;

// Rank entries decoded between two pauses of loadTable: a few milliseconds of work.
const RANKS_PER_SLICE = 10_000;

// Merge state reused by every call: merging is synchronous, so no two calls ever share it.
const SCRATCH = {
  next: new Int32Array(OFFSET_SPAN),
  prev: new Int32Array(OFFSET_SPAN),
  pairRank: new Int32Array(OFFSET_SPAN),
  heap: [] as number[],
};

/**
 * Counts tokens the way tiktoken's BPE encodes them (same pattern semantics, same merge order), in
 * time linear in the text. Special tokens such as `<|endoftext|>` count as the plain text they are,
 * as a provider counts text a user sent. Each call is synchronous and keeps nothing afterwards, so
 * async callers may interleave their slices.
 */
export class BpeCounter {
  private readonly pattern: RegExp;

  private constructor(
    private readonly ranks: ReadonlyMap<string, number>,
    patStr: string,
  ) {
    if (/\\[+*]/.test(patStr)) throw new Error('pre-tokenization pattern has a literal + or *; cannot bound it');
    // Sticky and without capture groups: countFrom only needs where each piece ends, so it calls
    // test() (no match array, no captured substrings per piece) and slices the piece itself.
    const bounded = patStr.replace(/[+*]/g, (q) => (q === '+' ? `{1,${MAX_RUN}}` : `{0,${MAX_RUN}}`));
    this.pattern = new RegExp(bounded.replace(/(?<!\\)\((?!\?)/g, '(?:'), 'uy');
  }

  /** Builds a counter from a rank table at once (about 0.1 s for o200k). */
  static fromTable(table: BpeRankTable): BpeCounter {
    const ranks = new Map<string, number>();
    const slices = fillRanks(ranks, table.bpe_ranks);
    while (!slices.next().done);
    return new BpeCounter(ranks, table.pat_str);
  }

  /** Builds a counter in slices, awaiting `pause` between them so a server keeps serving meanwhile. */
  static async loadTable(table: BpeRankTable, pause: () => Promise<void>): Promise<BpeCounter> {
    const ranks = new Map<string, number>();
    const slices = fillRanks(ranks, table.bpe_ranks);
    while (!slices.next().done) await pause();
    return new BpeCounter(ranks, table.pat_str);
  }

  /** Tokens in the whole text. */
  count(text: string): number {
    let total = 0;
    for (let at = 0; at < text.length;) {
      const slice = this.countFrom(text, at, Number.POSITIVE_INFINITY);
      total += slice.tokens;
      at = slice.end;
    }
    return total;
  }

  /**
   * Tokens of the pieces starting at `start`, stopping at the first piece boundary at or after
   * `start + budget` characters, so a long text can be counted in slices between other work.
   */
  countFrom(text: string, start: number, budget: number): { tokens: number; end: number } {
    const pattern = this.pattern;
    const stopAt = start + budget;
    let tokens = 0;
    let at = start;
    while (at < text.length && at < stopAt) {
      pattern.lastIndex = at;
      // The pattern's alternatives cover every character, so this only guards against a new table.
      if (!pattern.test(text) || pattern.lastIndex === at) return { tokens, end: text.length };
      const end = pattern.lastIndex;
      tokens += this.countPiece(text.slice(at, end));
      at = end;
    }
    return { tokens, end: at };
  }

  private countPiece(piece: string): number {
    const bytes = utf8Latin1(piece);
    if (bytes.length === 1 || this.ranks.has(bytes)) return 1;
    return this.mergedParts(bytes);
  }

  /**
   * Byte-pair merging as tiktoken does it: repeatedly merge the adjacent pair whose joined bytes
   * have the lowest rank (leftmost on ties) until no pair has a rank; the parts left are the
   * tokens. A heap of pair ranks with lazy invalidation makes this O(n log n) instead of O(n²).
   */
  private mergedParts(bytes: string): number {
    const size = bytes.length;
    const { next, prev, pairRank } = SCRATCH;
    const heap = SCRATCH.heap;
    heap.length = 0;
    for (let i = 0; i < size; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      pairRank[i] = -1;
    }
    const rankPair = (i: number): void => {
      const right = i < 0 ? size : next[i];
      if (right >= size) {
        if (i >= 0) pairRank[i] = -1;
        return;
      }
      const rank = this.ranks.get(bytes.slice(i, next[right]));
      pairRank[i] = rank ?? -1;
      if (rank !== undefined) heapPush(heap, rank * OFFSET_SPAN + i);
    };
    for (let i = 0; i < size - 1; i++) rankPair(i);
    let parts = size;
    while (heap.length > 0) {
      const entry = heapPop(heap);
      const rank = Math.floor(entry / OFFSET_SPAN);
      const i = entry - rank * OFFSET_SPAN;
      if (pairRank[i] !== rank) continue; // stale: this part has merged since
      const right = next[i];
      next[i] = next[right];
      if (next[i] < size) prev[next[i]] = i;
      pairRank[right] = -1;
      parts--;
      rankPair(i);
      rankPair(prev[i]);
    }
    return parts;
  }
}

/**
 * Reads tiktoken's compact rank format (`<ignored> <first rank> <base64 token> …` per line) into
 * `ranks`, yielding every few thousand entries. Keys are a token's bytes as a latin1 string, so an
 * ASCII piece is its own key and needs no copy.
 */
function* fillRanks(ranks: Map<string, number>, compact: string): Generator<void> {
  for (const line of compact.split('\n')) {
    const tokens = line.split(' ');
    if (tokens.length < 2) continue;
    let rank = Number.parseInt(tokens[1], 10);
    for (let i = 2; i < tokens.length; i++) {
      ranks.set(atob(tokens[i]), rank++);
      if (i % RANKS_PER_SLICE === 0) yield;
    }
  }
}

/** The UTF-8 bytes of a string as a latin1 string (one char per byte). */
function utf8Latin1(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.from(text, 'utf8').toString('latin1');
  }
  return text;
}

function heapPush(heap: number[], value: number): void {
  let i = heap.push(value) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= value) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): number {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= heap.length) break;
    if (child + 1 < heap.length && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= last) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = last;
  return top;
}
