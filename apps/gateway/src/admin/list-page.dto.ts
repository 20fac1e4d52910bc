import { ApiProperty } from '@nestjs/swagger';

/** The envelope of every paginated admin list (keyset: pass `next_cursor` back as `cursor`). */
export class ListPageDto {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty() has_more!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Opaque; pass as `cursor` for the next page.' }) next_cursor!: string | null;
}
