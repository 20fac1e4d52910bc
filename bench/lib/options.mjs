import { resolve } from 'node:path';
import { SCENARIOS } from './scenarios.mjs';

export const HELP = `Usage: npm run bench -- [flags]      (or: node bench/run.mjs [flags] after npm run build)

  --duration <s>         measured seconds per load cell (default 8)
  --warmup <s>           unmeasured seconds before each load cell (default 1; 0 to skip)
  --connections <list>   autocannon connections, comma-separated (default 10,32)
  --scenarios <list>     scenario names (default: ${SCENARIOS.filter((s) => s.default)
    .map((s) => s.name)
    .join(',')}; all: ${SCENARIOS.map((s) => s.name).join(',')})
  --rounds <n>           repeat every cell n times, alternating target order; medians are reported (default 1)
  --probe-requests <n>   sequential requests per scenario and target for first-byte timing (default 200; 0 to skip)
  --cold-starts <n>      gateway spawns timed from spawn to first 200 on /health/ready (default 1)
  --no-gateway           measure the fake upstream alone (until the gateway builds)
  --dist <dir>           build output to use (default dist); sets both entries below
  --gateway-entry <path> built gateway entry (default <dist>/apps/gateway/src/main.js)
  --gateway-env K=V      extra gateway environment variable; repeatable
  --gateway-node-arg <a> extra node flag for the gateway (e.g. --cpu-prof, --trace-gc); repeatable
  --model <id>           model sent in request bodies (default gpt-4o-mini)
  --out <dir>            where the JSON result goes (default bench/results)
  --count-promises       count the gateway's promises per request (promises/req); slows the
                         gateway, so that run's CPU figures are not comparable
  --verbose              forward the gateway's stdout/stderr
  --help                 this text`;

const NUMBER_FLAGS = {
  duration: [1, 600],
  warmup: [0, 60],
  rounds: [1, 20],
  'probe-requests': [0, 10_000],
  'cold-starts': [1, 20],
};

function camel(flag) {
  return flag.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

function parseNumber(flag, raw) {
  const [min, max] = NUMBER_FLAGS[flag];
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${flag} must be a number from ${min} to ${max}, got ${raw}`);
  return value;
}

function parseConnections(raw) {
  const list = raw.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 1024)) throw new Error(`--connections takes integers from 1 to 1024, got ${raw}`);
  return list;
}

function parseScenarios(raw) {
  const names = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return names;
}

export function parseOptions(argv, root) {
  const options = {
    duration: 8,
    warmup: 1,
    connections: [10, 32],
    scenarios: SCENARIOS.filter((scenario) => scenario.default).map((scenario) => scenario.name),
    rounds: 1,
    probeRequests: 200,
    coldStarts: 1,
    gateway: true,
    gatewayEntry: resolve(root, 'dist/apps/gateway/src/main.js'),
    fakeEntry: resolve(root, 'dist/test/support/fake-upstream/index.js'),
    gatewayEnv: {},
    // The production flags of `npm start` (package.json), so the benchmark measures what users run.
    gatewayNodeArgs: ['--max-semi-space-size=4', '--heap-growing-percent=50'],
    model: 'gpt-4o-mini',
    out: resolve(root, 'bench/results'),
    countPromises: false,
    verbose: false,
    help: false,
  };
  for (let index = 0; index < argv.length; index++) {
    if (!argv[index].startsWith('--')) throw new Error(`unexpected argument ${argv[index]} (see --help)`);
    const [flag, inline] = argv[index].slice(2).split(/=(.*)/s, 2);
    const value = () => {
      const next = inline ?? argv[++index];
      if (next === undefined) throw new Error(`--${flag} needs a value`);
      return next;
    };
    if (flag in NUMBER_FLAGS) options[camel(flag)] = parseNumber(flag, value());
    else if (flag === 'connections') options.connections = parseConnections(value());
    else if (flag === 'scenarios') options.scenarios = parseScenarios(value());
    else if (flag === 'no-gateway') options.gateway = false;
    else if (flag === 'dist') {
      const dist = resolve(value());
      options.gatewayEntry = resolve(dist, 'apps/gateway/src/main.js');
      options.fakeEntry = resolve(dist, 'test/support/fake-upstream/index.js');
    } else if (flag === 'gateway-entry') options.gatewayEntry = resolve(value());
    else if (flag === 'gateway-env') {
      const [key, envValue] = value().split(/=(.*)/s, 2);
      if (!/^[A-Z_][A-Z0-9_]*$/.test(key) || envValue === undefined) throw new Error('--gateway-env takes KEY=VALUE');
      options.gatewayEnv[key] = envValue;
    } else if (flag === 'gateway-node-arg') options.gatewayNodeArgs.push(value());
    else if (flag === 'model') options.model = value();
    else if (flag === 'out') options.out = resolve(value());
    else if (flag === 'count-promises') options.countPromises = true;
    else if (flag === 'verbose') options.verbose = true;
    else if (flag === 'help') options.help = true;
    else throw new Error(`unknown flag --${flag} (see --help)`);
  }
  return options;
}
