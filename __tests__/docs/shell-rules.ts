/**
 * The reviewed table of what each command of the docs' shell blocks is: run here as written, or
 * checked statically only (and why), plus the tools of this repository whose flags and variables a
 * command is checked against. A command that no rule matches fails the test, naming this file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATADOG_ENV, forwarderSettingNames } from '@algorithmia-datadog/metric-declaration';
import { ROOT } from './markdown-blocks';
import type { ShellCommand } from './shell-syntax';

export type Mode =
  /** Run as written in a scratch copy of the checkout: exit code in `exitCodes` (default 0). */
  | 'run'
  /** A server: started with the documented arguments on a free port, stopped once it listens. */
  | 'probe'
  /** Not run: only the static checks (scripts, paths, flags, variable names). */
  | 'static';

export interface CommandRule {
  /** Matched against the command's words joined by spaces (its `NAME=value` prefixes left out). */
  readonly pattern: RegExp;
  readonly mode: Mode;
  readonly reason: string;
  readonly exitCodes?: readonly number[];
}

export const COMMAND_RULES: readonly CommandRule[] = [
  // Run: quick, local, and touching nothing outside the scratch checkout.
  { pattern: /^npx cdktf synth$/, mode: 'run', reason: 'synthesizes the shipped config in seconds; needs no Terraform and no keys' },
  { pattern: /^npm run (--silent )?plan-summary( |$)/, mode: 'run', reason: 'compares two synth outputs, prints Markdown' },
  {
    pattern: /^npm run preview( -- (?!.*--points).*)?$/,
    mode: 'run',
    reason: 'draws the synthesized dashboards in headless Chromium, a few seconds',
  },
  {
    pattern: /^bash scripts\/kafka\.sh (status|env)$/,
    mode: 'run',
    exitCodes: [0, 3],
    reason: 'read-only: where the test-bed broker is; exit 3 when none runs (as in the scratch checkout)',
  },
  { pattern: /^eval /, mode: 'run', reason: 'runs what its $(...) prints; run when that command is' },
  { pattern: /^cd /, mode: 'run', reason: 'the folder must exist (a synth output, or the ../base checkout)' },
  {
    pattern: /^(npx tsx|node_modules\/\.bin\/tsx|node --import tsx) testbed\/src\/datadog\/datadog-double-cli\.ts /,
    mode: 'probe',
    reason: 'a server until signalled: started with these flags and `--port 0`, stopped with SIGTERM once it listens',
  },
  // Static only.
  { pattern: /^npm (ci|install)( |$)/, mode: 'static', reason: 'installs packages: the checkout under test is installed already' },
  { pattern: /^(npm test|npx jest)$/, mode: 'static', reason: 'the test suites themselves (minutes, a Kafka broker): CI runs them' },
  {
    pattern: /^npm run preview -- .*--points /,
    mode: 'static',
    reason: "reads the recording of the demo run before it (DEMO_RECORD_FILE): a minute's demo with Kafka",
  },
  { pattern: /^npm run forward$/, mode: 'static', reason: 'runs until stopped, against real Kafka brokers and Datadog' },
  {
    pattern: /^npm run demo$/,
    mode: 'static',
    reason: 'starts a Kafka broker, runs until Ctrl-C or DEMO_SECONDS; __tests__/scripts/demo.test.ts runs it',
  },
  {
    pattern: /^npm run (bench|bench:latency|bench:scaling|drills|drills:corpus)$/,
    mode: 'static',
    reason: 'minutes of load or faults on a Kafka broker',
  },
  {
    pattern: /^npm run (lint|lint:fix|format|format:check|docs:api|docs:api:check|check|tidy|coverage)$/,
    mode: 'static',
    reason: 'whole-repository code-health tools (minutes) or rewriting files; .ci/run runs them',
  },
  {
    pattern: /^npx (cdktf|cdktn) (diff|deploy|destroy|output)( |$)/,
    mode: 'static',
    reason: 'needs Terraform, its registry and Datadog keys',
  },
  {
    pattern: /^npx cdktn /,
    mode: 'static',
    reason: 'CDK Terrain is installed only by scripts/cdktn/migrate; scripts/cdktn/check runs it in CI',
  },
  {
    pattern: /^scripts\/cdktn\/migrate( |$)/,
    mode: 'static',
    reason: 'rewrites the checkout; __tests__/scripts/cdktn/migrate.test.ts runs it on copies',
  },
  {
    pattern: /^scripts\/cdktn\/check$/,
    mode: 'static',
    reason: 'minutes: installs CDK Terrain under Node 22 and reruns the root tests; .ci/run runs it',
  },
  { pattern: /^scripts\/cdktn\/fetch-kubernetes-bindings /, mode: 'static', reason: 'downloads from PyPI' },
  { pattern: /^scripts\/ensure-node /, mode: 'static', reason: 'may install Node.js from npm' },
  {
    pattern: /^bash scripts\/kafka\.sh (start|stop|install)$/,
    mode: 'static',
    reason: 'starts or stops a broker JVM (seconds to minutes); a stop could end the broker of a test run',
  },
  { pattern: /^node -e /, mode: 'static', reason: 'talks to the test-bed broker, which only `scripts/kafka.sh start` starts' },
  {
    pattern: /^npx tsx scripts\/preview\/docs-images\.ts$/,
    mode: 'static',
    reason: 'rewrites the committed docs/images; its renderer is what __tests__/scripts/preview-browser.test.ts checks',
  },
  { pattern: /^export /, mode: 'static', reason: "sets variables for the block's later commands (their names are checked)" },
  {
    pattern: /^git worktree add \.\.\/base /,
    mode: 'static',
    reason: 'needs origin/main; the scratch has ../base, a copy of this checkout, in its place',
  },
  { pattern: /^docker /, mode: 'static', reason: 'no Docker engine here; the image is built by the release job' },
  { pattern: /^kubectl /, mode: 'static', reason: 'needs a Kubernetes cluster' },
  {
    pattern: /^(terraform |grep \^datadog_|xargs -r -n1 terraform )/,
    mode: 'static',
    reason: 'needs terraform and the state of a deployed stack',
  },
  { pattern: /^(curl .*datadoghq|jq )/, mode: 'static', reason: "Datadog's API, with the organisation's keys" },
  { pattern: /^(pip download|mkdir -p vendor|unzip -p )/, mode: 'static', reason: 'downloads the bindings from PyPI by hand' },
  { pattern: /^kill %1$/, mode: 'static', reason: 'stops the background job of the same line' },
];

/** `<...>` placeholders of the docs, and what they stand for in the scratch checkout. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  '<base cdktf.out>': '../base/cdktf.out',
  '<head cdktf.out>': 'cdktf.out',
  '<container>': 'algorithmia-datadog-forwarder',
};

export function ruleFor(command: ShellCommand): CommandRule | undefined {
  const words = command.argv.join(' ');
  return COMMAND_RULES.find((rule) => rule.pattern.test(words));
}

/** A command line tool of this repository. */
export interface Tool {
  readonly name: string;
  /** Its entry file or folder; a command or an npm script naming it runs the tool. */
  readonly entry: string;
  /** Arguments, run in the checkout, that make it print its `usage:` line(s). */
  readonly usageCommand?: readonly string[];
  /** Whether it reads an environment variable of this name. */
  readonly reads: (name: string) => boolean;
}

const namesCache = new Map<string, Set<string>>();

/** Names a TypeScript or shell source reads: `env.NAME`, `'NAME'` given to a setting helper, `${NAME:-...}`. */
function namesReadBy(...paths: string[]): Set<string> {
  const key = paths.join('\n');
  const cached = namesCache.get(key);
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (path: string) => {
    const full = join(ROOT, path);
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full)) visit(join(path, entry));
      return;
    }
    const code = readFileSync(full, 'utf8');
    const pattern = path.endsWith('.ts') ? /(?:\benv\.|['"`])([A-Z][A-Z0-9_]+)\b/g : /\$\{([A-Z][A-Z0-9_]*):?[-+=?]/g;
    for (const match of code.matchAll(pattern)) names.add(match[1]);
  };
  for (const path of paths) visit(path);
  namesCache.set(key, names);
  return names;
}

/** The forwarder's settings, as `--help` and the README list them. */
export const FORWARDER_SETTING_NAMES = new Set(forwarderSettingNames());

/** Read by every process; setting them needs no tool's say-so. */
export const STANDARD_VARIABLES: ReadonlySet<string> = new Set(['PATH', 'HOME']);

const kafkaScript = namesReadBy('scripts/kafka.sh');
/** The CLI `npm run synth` names (cdktf, or cdktn after scripts/cdktn/migrate: docs/cdktn.md), as its bundle. */
const synthCliName = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { synth: string } }).scripts.synth.split(
  ' ',
)[0];
const cdktfCli = readFileSync(join(ROOT, 'node_modules', `${synthCliName}-cli`, 'bundle', 'bin', `${synthCliName}.js`), 'utf8');
const datadogProvider = new Set<string>(Object.values(DATADOG_ENV));

export const TOOLS: readonly Tool[] = [
  {
    name: 'plan-summary',
    entry: 'scripts/plan-summary.ts',
    usageCommand: ['npx', 'tsx', 'scripts/plan-summary.ts', '--help'],
    reads: (name) => namesReadBy('scripts/plan-summary.ts', 'scripts/plan-summary').has(name),
  },
  {
    name: 'preview',
    entry: 'scripts/preview.ts',
    usageCommand: ['npx', 'tsx', 'scripts/preview.ts', '--help'],
    reads: (name) => namesReadBy('scripts/preview.ts', 'scripts/preview').has(name),
  },
  {
    name: 'forwarder',
    entry: 'forwarder/bin/algorithmia-datadog-forwarder',
    usageCommand: ['forwarder/bin/algorithmia-datadog-forwarder', '--help'],
    reads: (name) => FORWARDER_SETTING_NAMES.has(name),
  },
  { name: 'kafka.sh', entry: 'scripts/kafka.sh', usageCommand: ['bash', 'scripts/kafka.sh'], reads: (name) => kafkaScript.has(name) },
  {
    name: 'demo',
    entry: 'scripts/demo.ts',
    reads: (name) => namesReadBy('scripts/demo.ts', 'scripts/demo').has(name) || kafkaScript.has(name),
  },
  {
    name: 'bench',
    entry: 'forwarder/bench/',
    // Passes FORWARDER_* on to the forwarder (docs/benchmarks.md) and starts its own broker.
    reads: (name) => namesReadBy('forwarder/bench').has(name) || FORWARDER_SETTING_NAMES.has(name) || kafkaScript.has(name),
  },
  {
    name: 'datadog double',
    entry: 'testbed/src/datadog/datadog-double-cli.ts',
    reads: (name) => namesReadBy('testbed/src/datadog/datadog-double-cli.ts').has(name),
  },
  {
    name: 'migrate',
    entry: 'scripts/cdktn/migrate',
    usageCommand: ['scripts/cdktn/migrate', '.', 'two-folders'],
    reads: (name) => namesReadBy('scripts/cdktn/migrate').has(name),
  },
  { name: 'cdktn check', entry: 'scripts/cdktn/check', reads: (name) => namesReadBy('scripts/cdktn/check').has(name) },
  {
    name: 'fetch-kubernetes-bindings',
    entry: 'scripts/cdktn/fetch-kubernetes-bindings',
    usageCommand: ['scripts/cdktn/fetch-kubernetes-bindings'],
    reads: (name) => namesReadBy('scripts/cdktn/fetch-kubernetes-bindings').has(name),
  },
  {
    name: 'ensure-node',
    entry: 'scripts/ensure-node',
    usageCommand: ['scripts/ensure-node'],
    reads: (name) => namesReadBy('scripts/ensure-node').has(name),
  },
  {
    name: 'cdktf',
    entry: 'cdktf',
    // The CLI's own variables, the Datadog provider's (read at plan/apply), and the app's (main.ts: DD_HOST).
    reads: (name) => cdktfCli.includes(`"${name}"`) || cdktfCli.includes(`.${name}`) || datadogProvider.has(name),
  },
];

const packageScripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** The npm script a command runs (`npm run [--silent] NAME [-- args]`), if any. */
export function npmScriptOf(command: ShellCommand): { name: string; args: string[] } | undefined {
  const [npm, run, ...rest] = command.argv;
  if (npm !== 'npm' || (run !== 'run' && run !== 'run-script')) return undefined;
  const separator = rest.indexOf('--');
  // npm's own options (--silent) come before the script's name; the script's arguments after `--`.
  const [name] = (separator === -1 ? rest : rest.slice(0, separator)).filter((word) => !word.startsWith('-'));
  return { name, args: separator === -1 ? [] : rest.slice(separator + 1) };
}

export function npmScriptExists(name: string): boolean {
  return Object.hasOwn(packageScripts, name);
}

/** The tool a command runs and the arguments it passes it. */
export function toolInvocation(command: ShellCommand): { tool: Tool; args: string[] } | undefined {
  const script = npmScriptOf(command);
  if (script) {
    const tool = TOOLS.find((candidate) => npmScriptExists(script.name) && packageScripts[script.name].includes(candidate.entry));
    return tool && { tool, args: script.args };
  }
  const argv = [...command.argv];
  if (argv[0] === 'npx' && (argv[1] === 'cdktf' || argv[1] === 'cdktn'))
    return { tool: TOOLS.find((tool) => tool.name === 'cdktf')!, args: argv.slice(2) };
  // Interpreters in front of the entry file.
  while (['bash', 'sh', 'node', 'npx', 'tsx', 'node_modules/.bin/tsx', '--import'].includes(argv[0]) && argv.length > 1) argv.shift();
  const path = argv[0]?.replace(/^\.\//, '');
  const tool = TOOLS.find((candidate) => candidate.entry !== 'cdktf' && (path === candidate.entry || path?.startsWith(candidate.entry)));
  return tool && { tool, args: argv.slice(1) };
}

/** Top-level entries of the repository that a path in a command may start with (not generated ones). */
const REPOSITORY_ENTRIES = new Set(
  readdirSync(ROOT).filter((entry) => !['cdktf.out', 'previews', 'node_modules', '.kafka', '.cache'].includes(entry)),
);

/** Words of a command that name files or folders of this repository that do not exist. */
export function missingRepositoryPaths(command: ShellCommand): string[] {
  const words = [...command.argv, ...command.assignments.map(([, value]) => value)];
  return words
    .map((word) => word.replace(/^(--?[\w-]+=|[\w.-]+=)/, '').replace(/^\.\//, ''))
    .filter((word) => /^[\w.-]+\/[\w./@-]*$/.test(word) && REPOSITORY_ENTRIES.has(word.split('/')[0]))
    .filter((path) => !existsSync(join(ROOT, path)));
}
