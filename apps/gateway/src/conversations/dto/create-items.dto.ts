import { ApiProperty } from '@nestjs/swagger';
import { MAX_ITEMS_PER_CALL } from '@app/storage';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined } from 'class-validator';

export class CreateItemsDto {
  @ApiProperty({
    description: `Responses items to append, at most ${MAX_ITEMS_PER_CALL}.`,
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    minItems: 1,
    maxItems: MAX_ITEMS_PER_CALL,
    example: [{ type: 'message', role: 'user', content: 'And then?' }],
  })
  @IsDefined({ message: "Missing required parameter: 'items'." })
  @IsArray({ message: "Invalid 'items': expected an array of items." })
  @ArrayMinSize(1, { message: "Invalid 'items': expected at least one item." })
  @ArrayMaxSize(MAX_ITEMS_PER_CALL, { message: `Invalid 'items': at most ${MAX_ITEMS_PER_CALL} items may be added at a time.` })
  items: Record<string, unknown>[];
}
