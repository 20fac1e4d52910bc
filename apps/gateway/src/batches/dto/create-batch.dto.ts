import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { BATCH_ENDPOINTS, type BatchEndpoint } from '@app/batches';

/** POST /v1/batches: OpenAI's create-batch body, plus inline `requests` (a Switchyard extension). */
export class CreateBatchDto {
  @ApiProperty({ enum: BATCH_ENDPOINTS, description: 'The endpoint every request of the batch targets.' })
  @IsIn(BATCH_ENDPOINTS)
  endpoint!: BatchEndpoint;

  @ApiPropertyOptional({ description: 'An uploaded JSONL file (purpose `batch`) with one request per line. Exactly one of input_file_id and requests.' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  input_file_id?: string;

  @ApiPropertyOptional({ description: 'Switchyard extension: the request lines inline, `[{custom_id, method, url, body}]`.', type: 'array', items: { type: 'object' } })
  @IsOptional()
  @IsArray()
  requests?: unknown[];

  @ApiProperty({ enum: ['24h'] })
  @IsIn(['24h'])
  completion_window!: string;

  @ApiPropertyOptional({ description: 'Up to 16 string key-value pairs.', type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string> | null;
}
