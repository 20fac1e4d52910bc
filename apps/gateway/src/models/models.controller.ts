import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ModelListDto } from './dto/model-list.dto';
import { ModelsService } from './models.service';

@ApiTags('OpenAI')
@ApiBearerAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @ApiOperation({ summary: 'List the models of every configured provider, as provider/model ids' })
  @ApiOkResponse({ type: ModelListDto })
  list(): ModelListDto {
    return this.models.list();
  }
}
