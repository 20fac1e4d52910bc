import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Public } from '../auth/auth.decorators';
import { CacheHealthIndicator } from './cache-health.indicator';

@ApiTags('Operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly cache: CacheHealthIndicator,
  ) {}

  /** Liveness: answers while the process serves; checks no dependency, so a slow database never restarts pods. */
  @Get()
  @ApiOperation({ summary: 'Liveness probe' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database must answer (503 otherwise); Redis down only degrades. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness probe: database (required) and Redis (degraded when down)' })
  @ApiServiceUnavailableResponse({ description: 'The database did not answer' })
  ready() {
    return this.health.check([() => this.database.pingCheck('database').withTimeout(this.config.readinessTimeoutMs), () => this.cache.check('redis')]);
  }
}
