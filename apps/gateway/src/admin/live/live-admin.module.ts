import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { HttpCoreModule } from '../../http/http-core.module';
import { LiveAdminController } from './live-admin.controller';
import { LiveStreamService } from './live-stream.service';
import { InProcessLiveTransport, LIVE_TRANSPORT, type LiveTransport, RedisLiveTransport } from './live-transport';

/** GET /admin/live, across replicas through Redis pub/sub when REDIS_URL is set. */
@Module({
  imports: [HttpCoreModule],
  controllers: [LiveAdminController],
  providers: [
    LiveStreamService,
    {
      provide: LIVE_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): LiveTransport =>
        config.redisUrl ? new RedisLiveTransport(config.redisUrl, `${config.cache.keyPrefix}live-events`) : new InProcessLiveTransport(),
    },
  ],
})
export class LiveAdminModule {}
