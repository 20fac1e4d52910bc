import type { DataSource } from 'typeorm';

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` after every write queued before it on the same SQLite DataSource; on PostgreSQL it
 * runs at once. TypeORM drives SQLite through one connection, so two transactions started
 * concurrently fail ("cannot start a transaction within a transaction") and a statement issued
 * while another transaction is open joins (and rolls back with) it. Writers that share this queue
 * never overlap.
 */
export function queueSqliteWrite<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'postgres') return work();
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(work, work);
  queues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}
