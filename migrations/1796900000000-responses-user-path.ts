import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

// Spelled out rather than read from the entity: an applied migration must never change.
const USER_PATH = new TableColumn({ name: 'user_path', type: 'varchar', length: '255', isNullable: true });

/**
 * The user path of the caller who created a response (a managed key's, or the master key's
 * `X-Switchyard-User-Path`): a background run charges its true cost to that path's budgets and
 * records its usage under it, in a worker that never saw the request. Null for rows written
 * before. No index: it is read with the row, never filtered on.
 */
export class ResponsesUserPath1796900000000 implements MigrationInterface {
  name = 'ResponsesUserPath1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('responses', USER_PATH);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('responses', USER_PATH.name);
  }
}
