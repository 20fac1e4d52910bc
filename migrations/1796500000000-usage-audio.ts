import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

// Spelled out rather than read from the entity: an applied migration must never change.
const COLUMNS = [
  new TableColumn({ name: 'audio_duration_ms', type: 'integer', isNullable: true }),
  new TableColumn({ name: 'input_characters', type: 'integer', isNullable: true }),
];

/**
 * What audio exchanges are billed on, next to the token counts (the audio token columns come with
 * the cost migration, 1796100000000, which prices them): the seconds of audio of
 * whisper-style answers (as integer milliseconds, exact on both databases), and the characters of
 * speech input (per-character TTS prices). Nullable where "not an audio exchange" differs from 0.
 * No index: nothing filters on them; reports read them with the rows they already select.
 */
export class UsageAudio1796500000000 implements MigrationInterface {
  name = 'UsageAudio1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('usage_records', COLUMNS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns(
      'usage_records',
      [...COLUMNS].reverse().map((column) => column.name),
    );
  }
}
