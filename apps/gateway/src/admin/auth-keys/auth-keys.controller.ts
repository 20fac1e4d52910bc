import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeysService } from '@app/governance';
import { AdminOnly } from '../../auth/auth.decorators';
import { OpenAIErrorEnvelopeDto } from '../../openapi/error-envelope.dto';
import { dtoValidationPipe } from '../../http/dto-validation.pipe';
import { AuthKeyDto, AuthKeyListDto, CreatedAuthKeyDto, toAuthKeyDto } from './dto/auth-key.dto';
import { CreateAuthKeyDto } from './dto/create-auth-key.dto';
import { ListAuthKeysQueryDto } from './dto/list-auth-keys-query.dto';
import { UpdateAuthKeyDto } from './dto/update-auth-key.dto';
import { toKeyPatch, toNewKey } from './auth-key-input';

@ApiTags('Admin')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: OpenAIErrorEnvelopeDto, description: 'A parameter is invalid; `param` names it.' })
@ApiForbiddenResponse({ type: OpenAIErrorEnvelopeDto, description: 'The key lacks the `admin` scope.' })
@AdminOnly()
@UsePipes(dtoValidationPipe('refuse'))
@Controller('admin/auth-keys')
export class AuthKeysController {
  constructor(private readonly keys: KeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a managed API key; its secret (`value`) is in this answer only' })
  @ApiCreatedResponse({ type: CreatedAuthKeyDto })
  async create(@Body() body: CreateAuthKeyDto): Promise<CreatedAuthKeyDto> {
    const created = await this.keys.create(toNewKey(body));
    return { ...toAuthKeyDto(created.key), value: created.value };
  }

  @Get()
  @ApiOperation({ summary: 'List managed keys, newest first (never their secrets)' })
  @ApiOkResponse({ type: AuthKeyListDto })
  async list(@Query() query: ListAuthKeysQueryDto): Promise<AuthKeyListDto> {
    const page = await this.keys.list(query.limit ?? 20, query.after);
    const data = page.keys.map(toAuthKeyDto);
    return { object: 'list', data, has_more: page.hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a managed key' })
  @ApiOkResponse({ type: AuthKeyDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  async retrieve(@Param('id') id: string): Promise<AuthKeyDto> {
    return toAuthKeyDto(await this.keys.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a key's name, description, models, limits or expiry; every replica applies it within a second" })
  @ApiOkResponse({ type: AuthKeyDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  async update(@Param('id') id: string, @Body() body: UpdateAuthKeyDto): Promise<AuthKeyDto> {
    return toAuthKeyDto(await this.keys.update(id, toKeyPatch(body)));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a key: refused (401) on every replica within a second' })
  @ApiOkResponse({ type: AuthKeyDto })
  @ApiNotFoundResponse({ type: OpenAIErrorEnvelopeDto })
  async deactivate(@Param('id') id: string): Promise<AuthKeyDto> {
    return toAuthKeyDto(await this.keys.deactivate(id));
  }
}
