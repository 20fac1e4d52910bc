// Validates Kubernetes objects (a JSON array on stdin) against the API's OpenAPI schemas, with the
// kubernetes-models packages (ESM-only, hence a child process of the CommonJS Jest run). Prints
// one JSON array of problems; empty when every object is valid. Note the schemas allow unknown
// fields (the API server rejects those itself), so a misspelt field passes here: the e2e test
// asserts the fields that matter by name.
import { readFileSync } from 'node:fs';

const CRD_PACKAGES = { 'monitoring.coreos.com': '@kubernetes-models/prometheus-operator' };

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = CRD_PACKAGES[group] ?? 'kubernetes-models';
  const module = await import(group ? `${pkg}/${group}/${version}` : `${pkg}/${version}`).catch(() => ({}));
  return module[kind];
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of objects) {
  const what = `${object.kind} ${object.metadata?.name}`;
  const Model = await modelFor(object.apiVersion ?? '', object.kind ?? '');
  if (!Model) {
    problems.push(`${what}: no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${what}: ${error.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
