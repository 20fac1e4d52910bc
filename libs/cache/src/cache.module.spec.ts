import { Test } from '@nestjs/testing';
import { buildConfig } from '@app/config';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { CacheModule } from './cache.module';

describe('CacheModule', () => {
  it('binds the in-memory store when REDIS_URL is unset, sized from config', async () => {
    const config = buildConfig({ CACHE_MEMORY_MAX_ENTRIES: '1' });
    const moduleRef = await Test.createTestingModule({ imports: [CacheModule.forRoot(config)] }).compile();
    const store = moduleRef.get<CacheStore>(CACHE_STORE);
    expect(store.kind).toBe('memory');
    await store.set('a', '1');
    await store.set('b', '2');
    expect(await store.get('a')).toBeUndefined();
    await moduleRef.close();
  });
});
