import { ApiProperty } from '@nestjs/swagger';

export class OpenAIErrorDto {
  @ApiProperty({ example: "Missing required parameter: 'model'." }) message!: string;
  @ApiProperty({ example: 'invalid_request_error' }) type!: string;
  @ApiProperty({ nullable: true, type: String, example: 'model' }) param!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'missing_required_parameter' }) code!: string | null;
}

export class OpenAIErrorEnvelopeDto {
  @ApiProperty({ type: OpenAIErrorDto }) error!: OpenAIErrorDto;
}
