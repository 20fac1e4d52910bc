import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

// Spelled out rather than imported from the entities: an applied migration must never change.
const AUTH_KEYS = 'auth_keys';
// Lookups by digest (a key unknown to a replica's index) and uniqueness of the secret.
const DIGEST_INDEX = new TableIndex({ name: 'idx_auth_keys_key_digest', columnNames: ['key_digest'], isUnique: true });
// Every replica loads the active keys into its index at boot and on each safety refresh.
const ACTIVE_INDEX = new TableIndex({ name: 'idx_auth_keys_active', columnNames: ['active'] });

function authKeysTable(postgres: boolean): Table {
  const instant = postgres ? 'timestamptz' : 'datetime';
  return new Table({
    name: AUTH_KEYS,
    columns: [
      // Ids start with their creation time in hex, so the primary key is also the list order.
      { name: 'id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'pk_auth_keys' },
      { name: 'name', type: 'varchar', length: '255' },
      { name: 'description', type: 'text', isNullable: true },
      { name: 'user_path', type: 'varchar', length: '255', isNullable: true },
      { name: 'models', type: 'text', isNullable: true },
      { name: 'scopes', type: 'varchar', length: '64' },
      { name: 'limits', type: 'text', isNullable: true },
      { name: 'key_digest', type: 'varchar', length: '64' },
      { name: 'redacted_value', type: 'varchar', length: '32' },
      { name: 'active', type: 'boolean', default: postgres ? 'true' : '1' },
      { name: 'expires_at', type: instant, isNullable: true },
      { name: 'created_at', type: instant },
      { name: 'updated_at', type: instant },
      { name: 'last_used_at', type: instant, isNullable: true },
    ],
  });
}

/** Creates `auth_keys` (managed API keys), on PostgreSQL or SQLite. */
export class CreateAuthKeys1796000000000 implements MigrationInterface {
  name = 'CreateAuthKeys1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(authKeysTable(postgres));
    await queryRunner.createIndex(AUTH_KEYS, DIGEST_INDEX.clone());
    await queryRunner.createIndex(AUTH_KEYS, ACTIVE_INDEX.clone());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(AUTH_KEYS, ACTIVE_INDEX.name!);
    await queryRunner.dropIndex(AUTH_KEYS, DIGEST_INDEX.name!);
    await queryRunner.dropTable(AUTH_KEYS);
  }
}
