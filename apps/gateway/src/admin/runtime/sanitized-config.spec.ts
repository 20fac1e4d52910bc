import { buildConfig } from '@app/config';
import { sanitizedConfig } from './sanitized-config';

describe('sanitizedConfig', () => {
  it('redacts every credential and the passwords in URLs, keeping the rest', () => {
    const config = buildConfig({
      SWITCHYARD_MASTER_KEY: 'master-secret-value',
      OPENAI_API_KEY: 'sk-openai-secret',
      DATABASE_URL: 'postgres://switchyard:db-password@db.internal:5432/gw?sslpassword=also-secret',
      REDIS_URL: 'redis://:redis-password@cache:6379',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-value',
      AWS_REGION: 'us-east-1',
      BEDROCK_MODELS: 'anthropic.claude',
    });
    const text = JSON.stringify(sanitizedConfig(config));
    for (const secret of ['master-secret-value', 'sk-openai-secret', 'db-password', 'also-secret', 'redis-password', 'AKIAEXAMPLEEXAMPLE12', 'aws-secret-value'])
      expect(text).not.toContain(secret);
    expect(sanitizedConfig(config)).toMatchObject({ masterKey: '[redacted]', usage: { retentionDays: 90 }, cache: { keyPrefix: 'switchyard:' } });
    expect(text).toContain('db.internal:5432');
  });
});
