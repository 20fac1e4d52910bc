import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite INSERTs on a worker thread with a connection of its own. better-sqlite3 is
 * synchronous: a 500-row usage flush on the main thread held the event loop for milliseconds and
 * was the largest source of the gateway's tail latency under load. WAL lets this second connection
 * write beside TypeORM's; SQLite's busy timeout serialises the two writers.
 */
export class SqliteBackgroundInserter {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  /** close() calls waiting for the inserts in flight to settle. */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly databaseFile: string) {}

  /** Runs `sql` once per parameter row, all rows in one transaction (the batch lands whole or not at all). */
  insert(sql: string, rows: unknown[][]): Promise<void> {
    return this.run([{ sql, rows }]);
  }

  /** Runs each statement once per its parameter rows, all of them in one transaction. */
  run(statements: readonly SqliteStatement[]): Promise<void> {
    const worker = this.start();
    const id = this.nextId++;
    // Referenced while inserts are in flight, so a shutdown flush is not cut short by an empty loop.
    if (this.pending.size === 0) worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, statements });
    });
  }

  /**
   * Waits for the inserts in flight (each bounded by SQLite's busy timeout), then stops the
   * thread: terminating it mid-insert would lose the shutdown flush's rows.
   */
  async close(): Promise<void> {
    if (this.pending.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Resolved here: an eval'd worker resolves modules from the working directory, not from this file.
      workerData: { file: this.databaseFile, driver: require.resolve('better-sqlite3') },
    });
    worker.on('message', (message: InsertOutcome) => this.settle(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error('SQLite insert worker exited'));
    });
    // After the listeners (adding a 'message' listener refs the worker): an idle worker must never
    // keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle({ id, error, code }: InsertOutcome): void {
    const waiter = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.whenIdle();
    if (error === undefined) waiter?.resolve();
    // The code (SQLITE_BUSY, SQLITE_CONSTRAINT_…) tells a busy database from a refused row.
    else waiter?.reject(Object.assign(new Error(error), code === undefined ? {} : { code }));
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.whenIdle();
  }

  private whenIdle(): void {
    this.worker?.unref();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** One parameterised statement and the rows it runs for. */
export interface SqliteStatement {
  readonly sql: string;
  readonly rows: readonly unknown[][];
}

interface InsertOutcome {
  readonly id: number;
  readonly error?: string;
  readonly code?: string;
}

// Plain CommonJS so it runs the same from Jest (TypeScript sources) and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('journal_mode = WAL');
const statements = new Map();
const prepared = (sql) => {
  let statement = statements.get(sql);
  if (!statement) { statement = db.prepare(sql); statements.set(sql, statement); }
  return statement;
};
const runAll = db.transaction((batch) => {
  for (const { sql, rows } of batch) { const statement = prepared(sql); for (const row of rows) statement.run(row); }
});
parentPort.on('message', ({ id, statements: batch }) => {
  try {
    runAll(batch);
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error), code: error && typeof error.code === 'string' ? error.code : undefined });
  }
});
`;
