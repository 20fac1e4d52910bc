import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildConfig } from '@app/config';
import { WorkerHttpServer } from '../../apps/worker/src/http/worker-http.server';
import { WORKER_ROUTES } from '../../apps/worker/src/http/worker-routes';
import { FakeQueueMonitor } from '../../apps/worker/src/metrics/fake-queue-monitor';
import { WorkerMetrics } from '../../apps/worker/src/metrics/worker-metrics';
import { startTestGateway } from '../support/gateway-harness';
import { containerEnv, containerPort, find, hasKubectl, type K8sObject, KUSTOMIZE_ROOT, matches, podTemplates, readEnvFile, render, schemaProblems } from './support/manifests';

const ROOT = resolve(__dirname, '../..');
const SECRET = readEnvFile(join(KUSTOMIZE_ROOT, 'overlays/production/secrets.example.env'));
const SECRET_NAME = 'switchyard-secrets';
// apps/worker/src/main.ts exits this long after SHUTDOWN_DRAIN_TIMEOUT when jobs still run.
const WORKER_EXIT_MARGIN_S = 5;
const KUBECTL = hasKubectl();

if (!KUBECTL) process.stderr.write('kubernetes.e2e-spec: kubectl not found, skipping the Kubernetes manifest checks\n');
const describeWithKubectl = KUBECTL ? describe : describe.skip;

const gatewayOf = (objects: K8sObject[]) => find(objects, 'Deployment', 'switchyard-gateway');
const workerOf = (objects: K8sObject[]) => find(objects, 'Deployment', 'switchyard-worker');
const container = (object: K8sObject) => object.spec.template.spec.containers[0];

/** The validated AppConfig a container boots with; the routing ConfigMap is written where it is mounted. */
function bootConfig(objects: K8sObject[], owner: K8sObject, scratch: string) {
  const pod = owner.spec.template.spec;
  const env = containerEnv(objects, pod.containers[0], SECRET);
  const mountDir = env.SWITCHYARD_CONFIG.slice(0, env.SWITCHYARD_CONFIG.lastIndexOf('/'));
  const mount = pod.containers[0].volumeMounts.find((candidate: { mountPath: string }) => candidate.mountPath === mountDir);
  expect(mount).toBeDefined();
  const volume = pod.volumes.find((candidate: { name: string }) => candidate.name === mount.name);
  const routing = find(objects, 'ConfigMap', volume.configMap.name).data ?? {};
  const file = join(scratch, `${owner.metadata.name}.yaml`);
  writeFileSync(file, routing[env.SWITCHYARD_CONFIG.slice(mountDir.length + 1)]);
  return buildConfig({ ...env, SWITCHYARD_CONFIG: file });
}

describeWithKubectl.each(['base', 'overlays/production'])('Kubernetes manifests: %s', (dir) => {
  let objects: K8sObject[];
  let scratch: string;

  beforeAll(() => {
    objects = render(dir);
    scratch = mkdtempSync(join(tmpdir(), 'switchyard-k8s-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('renders every object kind the production shape needs, each valid against the Kubernetes schemas', () => {
    const kinds = objects.map((object) => object.kind).sort();
    for (const kind of ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceMonitor']) {
      expect(kinds).toContain(kind);
    }
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('holds no secret: no Secret object, keys only by reference to one Secret', () => {
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
    for (const { owner, template } of podTemplates(objects)) {
      for (const c of template.spec.containers) {
        const refs = [...(c.envFrom ?? []).map((source: any) => source.secretRef?.name), ...(c.env ?? []).map((variable: any) => variable.valueFrom?.secretKeyRef?.name)];
        expect({ owner, refs: refs.filter(Boolean).filter((name) => name !== SECRET_NAME) }).toEqual({ owner, refs: [] });
        const literal = (c.env ?? []).filter((variable: any) => variable.value !== undefined && /KEY|TOKEN|SECRET|PASSWORD|_URL/.test(variable.name));
        expect({ owner, literal }).toEqual({ owner, literal: [] });
      }
    }
    for (const map of objects.filter((object) => object.kind === 'ConfigMap')) {
      expect(Object.keys(map.data ?? {}).filter((key) => /KEY|TOKEN|SECRET|PASSWORD|_URL/.test(key))).toEqual([]);
    }
  });

  it('boots the gateway and worker configs from the rendered env, routing file and example Secret', () => {
    for (const owner of [gatewayOf(objects), workerOf(objects)]) {
      const config = bootConfig(objects, owner, scratch);
      expect(config.runMigrations).toBe(false);
      expect(config.databaseUrl).toBe(SECRET.DATABASE_URL);
      expect(config.redisUrl).toBe(SECRET.REDIS_URL);
    }
  });

  it('serves the gateway on the port its config listens on, to the Service, probes, policy and monitor', () => {
    const gateway = gatewayOf(objects);
    const port = bootConfig(objects, gateway, scratch).port;
    expect(containerPort(container(gateway), 'http')).toBe(port);
    const service = find(objects, 'Service', 'switchyard-gateway');
    expect(matches(service.spec.selector, gateway.spec.template.metadata.labels)).toBe(true);
    expect(containerPort(container(gateway), service.spec.ports[0].targetPort)).toBe(port);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(containerPort(container(gateway), container(gateway)[probe].httpGet.port)).toBe(port);
    const policy = find(objects, 'NetworkPolicy', 'switchyard-gateway');
    expect(containerPort(container(gateway), policy.spec.ingress[0].ports[0].port)).toBe(port);
    const monitor = find(objects, 'ServiceMonitor', 'switchyard-gateway');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(service.spec.ports.map((entry: { name: string }) => entry.name)).toContain(monitor.spec.endpoints[0].port);
  });

  it('serves the worker on WORKER_HTTP_PORT, to its probes, Service, policy and monitor', () => {
    const worker = workerOf(objects);
    const port = bootConfig(objects, worker, scratch).workerHttpPort;
    expect(containerPort(container(worker), 'metrics')).toBe(port);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(container(worker)[probe].httpGet.path).toBe(WORKER_ROUTES.health);
      expect(containerPort(container(worker), container(worker)[probe].httpGet.port)).toBe(port);
    }
    const service = find(objects, 'Service', 'switchyard-worker');
    expect(matches(service.spec.selector, worker.spec.template.metadata.labels)).toBe(true);
    expect(containerPort(container(worker), service.spec.ports[0].targetPort)).toBe(port);
    expect(containerPort(container(worker), find(objects, 'NetworkPolicy', 'switchyard-worker').spec.ingress[0].ports[0].port)).toBe(port);
    const monitor = find(objects, 'ServiceMonitor', 'switchyard-worker');
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: service.spec.ports[0].name, path: WORKER_ROUTES.metrics });
  });

  it('sends Prometheus the master key when METRICS_AUTH is on', () => {
    const metricsAuth = bootConfig(objects, gatewayOf(objects), scratch).metricsAuth;
    for (const monitor of objects.filter((object) => object.kind === 'ServiceMonitor')) {
      const auth = monitor.spec.endpoints[0].authorization;
      expect(auth === undefined ? undefined : auth.credentials).toEqual(metricsAuth ? { name: SECRET_NAME, key: 'SWITCHYARD_MASTER_KEY' } : undefined);
    }
  });

  it('drains before SIGKILL: preStop sleep + SHUTDOWN_DRAIN_TIMEOUT fit in the grace period', () => {
    const gateway = gatewayOf(objects);
    const drainS = bootConfig(objects, gateway, scratch).drainTimeoutMs / 1000;
    const [sleep, seconds] = container(gateway).lifecycle.preStop.exec.command;
    expect(sleep).toBe('/bin/sleep');
    expect(gateway.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + drainS);
    const worker = workerOf(objects);
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(bootConfig(objects, worker, scratch).drainTimeoutMs / 1000 + WORKER_EXIT_MARGIN_S);
  });

  it('keeps two gateways up at least, spread, scaled by the HPA and guarded by the PDB', () => {
    const gateway = gatewayOf(objects);
    const labels = gateway.spec.template.metadata.labels;
    expect(gateway.spec.replicas).toBeGreaterThanOrEqual(2);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'switchyard-gateway');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: gateway.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = find(objects, 'PodDisruptionBudget', 'switchyard-gateway');
    expect(matches(pdb.spec.selector.matchLabels, labels)).toBe(true);
    expect(pdb.spec.maxUnavailable ?? hpa.spec.minReplicas - pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    const spread = gateway.spec.template.spec.topologySpreadConstraints;
    expect(spread.map((constraint: any) => constraint.topologyKey)).toEqual(expect.arrayContaining(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']));
    for (const constraint of spread) expect(matches(constraint.labelSelector.matchLabels, labels)).toBe(true);
  });

  it('runs the migrations Job with the gateway image and environment, and a CLI the image ships', () => {
    const gateway = container(gatewayOf(objects));
    const job = find(objects, 'Job', 'switchyard-migrate');
    const migrate = container(job);
    expect(migrate.image).toBe(gateway.image);
    expect(container(workerOf(objects)).image).toBe(gateway.image);
    expect({ envFrom: migrate.envFrom, env: migrate.env }).toEqual({ envFrom: gateway.envFrom, env: gateway.env });
    expect(migrate.command.slice(0, 3)).toEqual(['node', 'node_modules/typeorm/cli.js', 'migration:run']);
    expect(existsSync(join(ROOT, migrate.command[1]))).toBe(true);
    // The image prunes dev dependencies (deploy/Dockerfile): the CLI must come from a runtime one.
    expect((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies).toHaveProperty('typeorm');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it("can run the Job first: README's migrate-first selector takes the Job and every ConfigMap it uses", () => {
    const picked = objects.filter((object) => ['config', 'migrations'].includes(object.metadata.labels?.['app.kubernetes.io/component'] ?? ''));
    const pod = find(objects, 'Job', 'switchyard-migrate').spec.template.spec;
    const used = [...pod.containers[0].envFrom.map((source: any) => source.configMapRef?.name), ...pod.volumes.map((volume: any) => volume.configMap?.name)].filter(Boolean);
    expect(picked.map((object) => object.metadata.name)).toEqual(expect.arrayContaining(['switchyard-migrate', ...used]));
    expect(picked.filter((object) => object.kind === 'Deployment')).toEqual([]);
  });

  it('runs every pod non-root, read-only, without capabilities, with resources and a writable /tmp', () => {
    for (const { owner, template } of podTemplates(objects)) {
      const pod = template.spec;
      expect({ owner, pod: pod.securityContext }).toMatchObject({ owner, pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
      // The image's USER is a name; without a numeric id the kubelet refuses runAsNonRoot.
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect({ owner, sc: c.securityContext }).toEqual({ owner, sc: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } });
        expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.resources.limits.memory).toEqual(expect.any(String));
        const tmp = c.volumeMounts.find((mount: { mountPath: string }) => mount.mountPath === '/tmp');
        expect(pod.volumes.find((volume: { name: string }) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
      }
    }
  });
});

describeWithKubectl('Kubernetes probes hit real routes', () => {
  it("gets 200 from the gateway's probe paths on a booted gateway", async () => {
    const gateway = container(gatewayOf(render('overlays/production')));
    const app = await startTestGateway();
    try {
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const response = await fetch(`${app.url}${gateway[probe].httpGet.path}`);
        expect({ probe, status: response.status }).toEqual({ probe, status: 200 });
      }
    } finally {
      await app.close();
    }
  });

  it("gets 200 from the worker's probe paths on its HTTP server", async () => {
    const worker = container(workerOf(render('overlays/production')));
    const config = buildConfig({ HOST: '127.0.0.1', WORKER_HTTP_PORT: '0' });
    const monitor = new FakeQueueMonitor();
    const server = new WorkerHttpServer(config, monitor, new WorkerMetrics(monitor, config));
    await server.onApplicationBootstrap();
    try {
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const response = await fetch(`http://127.0.0.1:${server.port()}${worker[probe].httpGet.path}`);
        expect({ probe, status: response.status }).toEqual({ probe, status: 200 });
      }
    } finally {
      await server.onApplicationShutdown();
    }
  });
});
