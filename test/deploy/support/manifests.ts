import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

// Rendered manifests are untyped JSON; the checks read them by path.
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> };

export const KUSTOMIZE_ROOT = resolve(__dirname, '../../../deploy/kubernetes');
const VALIDATOR = join(__dirname, 'validate-k8s-objects.mjs');

/** Whether `kubectl kustomize` can run here (kubectl ships kustomize). */
export function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** Renders a kustomization as kubectl would apply it. */
export function render(dir: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', join(KUSTOMIZE_ROOT, dir)], { encoding: 'utf8' });
  return parseAllDocuments(text).map((doc) => doc.toJS() as K8sObject);
}

/** Schema problems of the objects (kubernetes-models and its Prometheus Operator models). */
export function schemaProblems(objects: readonly K8sObject[]): string[] {
  const out = execFileSync(process.execPath, [VALIDATOR], { input: JSON.stringify(objects), encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is not rendered`);
  return found;
}

/** Keys of a dotenv-style file: the Secret the manifests reference, as documented. */
export function readEnvFile(path: string): Record<string, string> {
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries);
}

/**
 * The environment a container would see: its ConfigMaps (rendered, hashed names), then the Secret
 * (whose values the caller supplies, since none is rendered), then its own `env`.
 */
export function containerEnv(objects: readonly K8sObject[], container: any, secret: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, find(objects, 'ConfigMap', source.configMapRef.name).data);
    if (source.secretRef) Object.assign(env, secret);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref && !(ref.key in secret)) throw new Error(`${variable.name} refers to the Secret key ${ref.key}, which the example Secret lacks`);
    env[variable.name] = ref ? secret[ref.key] : variable.value;
  }
  return env;
}

/** The container port a probe or Service names (by name or number). */
export function containerPort(container: any, port: string | number): number {
  const match = (container.ports ?? []).find((candidate: any) => candidate.name === port || candidate.containerPort === port);
  if (!match) throw new Error(`container ${container.name} has no port ${port}`);
  return match.containerPort;
}

/** The pod templates of Deployments and Jobs, with their owner's name. */
export function podTemplates(objects: readonly K8sObject[]): { owner: string; template: any }[] {
  return objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
    .map((object) => ({ owner: `${object.kind} ${object.metadata.name}`, template: object.spec.template }));
}

export function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
