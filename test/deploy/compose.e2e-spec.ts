import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { buildConfig } from '@app/config';
import { WORKER_ROUTES } from '../../apps/worker/src/http/worker-routes';

// Docker cannot run on these machines: this checks the compose file and the load balancer config
// as files, against the config the services would boot with.
const ROOT = resolve(__dirname, '../..');
const GATEWAY_MAIN = 'dist/apps/gateway/src/main.js';
const WORKER_MAIN = 'dist/apps/worker/src/main.js';

interface Service {
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const active = (profile: string) => Object.entries(compose.services).filter(([, service]) => !service.profiles || service.profiles.includes(profile));
const running = (main: string) => active('replicas').filter(([, service]) => service.command?.includes(main));

/** What compose substitutes for `${VAR:-default}` / `${VAR:?message}` when VAR is unset (or set, for :?). */
function interpolate(env: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, String(value).replace(/\$\{[A-Z_]+:([-?])([^}]*)\}/g, (_, op, rest) => (op === '-' ? rest : 'compose-set'))]),
  );
}

/** The URL a healthcheck fetches. */
const healthUrl = (service: Service) => new URL(/fetch\('([^']+)'\)/.exec(service.healthcheck?.test.join(' ') ?? '')?.[1] ?? 'http://none/');

describe('docker compose --profile replicas', () => {
  const gateways = running(GATEWAY_MAIN);
  const nginx = readFileSync(join(ROOT, 'deploy/compose/nginx.conf'), 'utf8');

  it('runs two gateways, one worker, PostgreSQL, Redis and a load balancer; the default profile stays one gateway', () => {
    expect(
      active('replicas')
        .map(([name]) => name)
        .sort(),
    ).toEqual(['gateway', 'gateway-b', 'lb', 'postgres', 'redis', 'worker']);
    expect(gateways).toHaveLength(2);
    expect(running(WORKER_MAIN)).toHaveLength(1);
    const plain = Object.entries(compose.services).filter(([, service]) => !service.profiles);
    expect(plain.filter(([, service]) => service.command?.includes(GATEWAY_MAIN))).toHaveLength(1);
  });

  it('points the load balancer at both gateways on the port each listens on, without buffering streams', () => {
    const upstream = /upstream switchyard_gateways \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    const servers = [...upstream.matchAll(/^\s*server ([\w-]+):(\d+)/gm)].map((match) => `${match[1]}:${match[2]}`);
    expect(servers.sort()).toEqual(gateways.map(([name, service]) => `${name}:${buildConfig(interpolate(service.environment)).port}`).sort());
    expect(nginx).toMatch(/proxy_pass http:\/\/switchyard_gateways;/);
    expect(nginx).toMatch(/proxy_buffering off;/);
    const lb = compose.services.lb;
    expect(lb.volumes).toContain('./deploy/compose/nginx.conf:/etc/nginx/nginx.conf:ro');
    const listen = /listen (\d+);/.exec(nginx)?.[1];
    expect(lb.ports).toContain(`${listen}:${listen}`);
    expect(Object.fromEntries(gateways.map(([name]) => [name, lb.depends_on?.[name]?.condition]))).toEqual({ gateway: 'service_healthy', 'gateway-b': 'service_healthy' });
  });

  it('checks the gateways on /health/ready at their port, and the worker on /health at WORKER_HTTP_PORT', () => {
    for (const [name, service] of gateways) {
      const url = healthUrl(service);
      expect({ name, path: url.pathname, port: Number(url.port) }).toEqual({ name, path: '/health/ready', port: buildConfig(interpolate(service.environment)).port });
    }
    expect(compose.services.lb.healthcheck?.test.join(' ')).toContain('/health/ready');
    const worker = compose.services.worker;
    const url = healthUrl(worker);
    expect({ path: url.pathname, port: Number(url.port) }).toEqual({ path: WORKER_ROUTES.health, port: buildConfig(interpolate(worker.environment)).workerHttpPort });
  });

  it('gives the replicas one database, one Redis and one key; one of them migrates, the other waits for it', () => {
    const shared = (env: Record<string, string> = {}) => ({ ...env, RUN_MIGRATIONS: undefined });
    const [[, a], [, b]] = gateways;
    expect(shared(b.environment)).toEqual(shared(a.environment));
    const migrating = gateways.filter(([, service]) => buildConfig(interpolate(service.environment)).runMigrations);
    expect(migrating.map(([name]) => name)).toEqual(['gateway']);
    expect(compose.services['gateway-b'].depends_on?.gateway?.condition).toBe('service_healthy');
  });
});
