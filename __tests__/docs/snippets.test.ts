/**
 * Every fenced code block of README.md and docs/*.md, checked as written, so that a snippet that
 * rots fails here: config JSON applied to the shipped config (no problem from `configProblems`),
 * shell commands run in a scratch checkout or checked statically (shell-rules.ts says which and why),
 * quoted error lines reproduced, the rest covered by a named test or listed as an illustration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { FORWARDER_SETTINGS } from '@algorithmia-datadog/metric-declaration';
import * as constructs from '../../constructs';
import { EXIT_CODES } from '../../forwarder/src/startup/startup-failure';
import { compareSynthOutputs } from '../../scripts/cdktn/synth-diff';
import { withForwarderEnabled } from '../../scripts/cdktn/forwarder-app';
import { synthesize } from '../helpers/synth';
import { classifyJson, ConfigState, missingFromSynthOutput } from './config-snippets';
import { codeBlocksOf, describeBlock, documentationPages, ROOT, type CodeBlock } from './markdown-blocks';
import {
  CONFIG_SITUATIONS,
  CONSTRUCT_SITUATIONS,
  COVERED_ELSEWHERE,
  declaredMembers,
  FORWARDER_LINES,
  ILLUSTRATIONS,
  matchesBlock,
  quotedLineKind,
  readRepositoryFile,
  testContaining,
} from './other-snippets';
import { ScratchCheckout } from './scratch-checkout';
import { checkShellBlock } from './shell-snippets';
import { FORWARDER_SETTING_NAMES, ruleFor } from './shell-rules';
import { parseLine } from './shell-syntax';

const SHUTDOWN_TIMEOUT_MS = FORWARDER_SETTINGS.shutdownTimeoutMs.default;
const DEFAULT_HTTP_PORT = FORWARDER_SETTINGS.httpPort.default;

let scratch: ScratchCheckout;
beforeAll(() => {
  scratch = new ScratchCheckout();
});
afterAll(() => scratch?.dispose());

function checkConfigJson(block: CodeBlock, state: ConfigState): void {
  const snippet = classifyJson(block.text);
  if (snippet.kind === 'insights message') throw new Error('an Insights message: list the test that decodes it in COVERED_ELSEWHERE');
  if (snippet.kind === 'synth output') {
    expect(missingFromSynthOutput(snippet.value, state.synthesized())).toEqual([]);
    return;
  }
  state.apply(snippet);
  expect(state.problems()).toEqual([]);
  if (snippet.kind === 'metric entry') expect(state.kindOf(snippet.value.key)).toBe(snippet.value.kind ?? 'gauge');
}

/** `compared N stacks (...), M resources`, as scripts/cdktn/compare-synth.ts prints it for the shipped app, then with the forwarder on. */
function expectedComparedLines(): string[] {
  const shipped = new ConfigState();
  const withForwarder = new ConfigState();
  withForwarder.environments = withForwarderEnabled(withForwarder.environments);
  return [shipped, withForwarder].map((state) => {
    const stacks = new Map([...state.synthesized()].sort(([a], [b]) => a.localeCompare(b)));
    const { resourceCount } = compareSynthOutputs(stacks, stacks);
    return `compared ${stacks.size} stacks (${[...stacks.keys()].join(', ')}), ${resourceCount} resources`;
  });
}

/** Quoted output: each line reproduced, covered verbatim by a test, or (cdktn's check) from the CDK Terrain side. */
function checkQuotedLines(block: CodeBlock): void {
  const lines = block.text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '…');
  const unexplained: string[] = [];
  const fromCdktnCheck = lines.some((line) => quotedLineKind(line) === 'cdktn compare');
  const compared = lines.filter((line) => quotedLineKind(line) === 'cdktn compare');
  if (compared.length > 0) expect(compared).toEqual(expectedComparedLines());
  for (const line of lines) {
    const kind = quotedLineKind(line);
    // A config line is covered when a test checks its message (tests write their config to other paths).
    const message = kind === 'config' ? line.replace(/^(ERROR \[config\]: )?config\/\w+\.json: /, '') : line;
    if (kind === 'cdktn compare' || testContaining(message)) continue;
    if (line.startsWith('$ ')) {
      expect({
        line,
        rule: parseLine(line.slice(2)).every((step) => step.kind !== 'pipeline' || step.commands.every((c) => ruleFor(c))),
      }).toEqual({ line, rule: true });
      continue;
    }
    if (kind === 'config') {
      const message = line.replace(/^ERROR \[config\]: /, '');
      const situation = CONFIG_SITUATIONS.find((candidate) => candidate.message.test(message));
      if (!situation) {
        unexplained.push(`${line}\n    (a config error line: add its situation to CONFIG_SITUATIONS in __tests__/docs/other-snippets.ts)`);
        continue;
      }
      const state = new ConfigState();
      const text = situation.make(state);
      if (typeof text === 'string') state.environmentsText = text;
      expect({ situation: situation.situation, problems: state.problems() }).toEqual({
        situation: situation.situation,
        problems: expect.arrayContaining([message]),
      });
    } else if (kind === 'construct') {
      const situation = CONSTRUCT_SITUATIONS.find((candidate) => candidate.message.test(line));
      if (!situation) {
        unexplained.push(
          `${line}\n    (a construct error line: add its situation to CONSTRUCT_SITUATIONS in __tests__/docs/other-snippets.ts)`,
        );
        continue;
      }
      const state = new ConfigState();
      situation.make(state);
      expect({ situation: situation.situation, errors: state.validationErrors() }).toEqual({
        situation: situation.situation,
        errors: expect.arrayContaining([line]),
      });
    } else if (kind === 'forwarder') {
      const covering = FORWARDER_LINES.find((candidate) => line.includes(candidate.phrase));
      if (!covering)
        unexplained.push(
          `${line}\n    (a forwarder error line: add the test that checks it to FORWARDER_LINES in __tests__/docs/other-snippets.ts)`,
        );
      else expect(readRepositoryFile(covering.coveredBy)).toContain(covering.phrase);
    } else if (!(fromCdktnCheck && /^(allowed: |no other difference$)/.test(line))) {
      unexplained.push(
        `${line}\n    (no test prints this line verbatim: list the block in ILLUSTRATIONS or COVERED_ELSEWHERE in __tests__/docs/other-snippets.ts)`,
      );
    }
  }
  if (unexplained.length > 0) throw new Error(`${describeBlock(block)}: lines not checked:\n  ${unexplained.join('\n  ')}`);
}

/** docs/running.md's systemd unit: the launcher exists, the stop timeout outlasts the drain, exit 2 is not restarted. */
function checkSystemdUnit(block: CodeBlock): void {
  const settings = new Map(
    block.text
      .split('\n')
      .flatMap((line) => [...(/^(\w+)=(.*)$/.exec(line) ?? [])].slice(1))
      .reduce<[string, string][]>((pairs, part, index, parts) => (index % 2 === 0 ? [...pairs, [part, parts[index + 1]]] : pairs), []),
  );
  const workingDirectory = settings.get('WorkingDirectory')!;
  const execStart = settings.get('ExecStart')!;
  expect(execStart.startsWith(`${workingDirectory}/`)).toBe(true);
  expect(() => readFileSync(join(ROOT, execStart.slice(workingDirectory.length + 1)))).not.toThrow();
  expect(Number(settings.get('TimeoutStopSec'))).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS / 1000 + 2);
  expect(Number(settings.get('RestartPreventExitStatus'))).toBe(EXIT_CODES.configuration);
}

/** docs/running.md's pod spec: forwarder settings only, a grace period past the drain, probes on served paths and the port. */
function checkPodSpec(block: CodeBlock): void {
  const { spec } = parseYaml(block.text);
  const healthServer = readRepositoryFile('forwarder/src/observe/health-server.ts');
  for (const container of spec.containers) {
    const env = Object.fromEntries(container.env.map((entry: { name: string; value: string }) => [entry.name, entry.value]));
    expect(Object.keys(env).filter((name) => !FORWARDER_SETTING_NAMES.has(name))).toEqual([]);
    const shutdownMs = Number(env.FORWARDER_SHUTDOWN_TIMEOUT_MS ?? SHUTDOWN_TIMEOUT_MS);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(shutdownMs / 1000 + 2);
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      expect(healthServer).toContain(`'${probe.httpGet.path}'`);
      expect(probe.httpGet.port).toBe(Number(env.FORWARDER_HTTP_PORT ?? DEFAULT_HTTP_PORT));
    }
  }
}

/** A construct example runs in a stack as written; a signature listing names only members its source declares. */
function checkTypeScript(block: CodeBlock): void {
  if (block.text.includes("from './constructs'")) {
    const { outputText } = ts.transpileModule(block.text, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    });
    const synthesized = synthesize((stack) => {
      const requireFromExample = (path: string) => (path === './constructs' ? constructs : require(path));
      new Function('require', 'exports', 'stack', outputText)(requireFromExample, {}, stack);
    });
    expect(Object.keys(synthesized.resource ?? {}).length).toBeGreaterThan(0);
    return;
  }
  const source = /`([\w/.-]+\.ts)`/.exec(block.section)?.[1];
  if (!source)
    throw new Error(`${describeBlock(block)}: a listing whose section heading names no source file (\`path.ts\`) to check it against`);
  const code = readRepositoryFile(source);
  expect(declaredMembers(block.text).filter((name) => !new RegExp(`\\b${name}\\b`).test(code))).toEqual([]);
}

// A page without code blocks (docs/benchmarks.md today) has nothing to check.
const pages = documentationPages()
  .map((page) => [page, codeBlocksOf(page)] as const)
  .filter(([, blocks]) => blocks.length > 0);

describe.each(pages)('%s', (_page, blocks) => {
  // The page's config snippets apply in order, each to the config the ones before it left.
  const state = new ConfigState();

  it.each(blocks.map((block) => [describeBlock(block), block] as const))(
    '%s',
    async (_name, block) => {
      const illustration = ILLUSTRATIONS.find((entry) => matchesBlock(entry, block));
      const covered = COVERED_ELSEWHERE.find((entry) => matchesBlock(entry, block));
      if (illustration) {
        expect(illustration.reason).not.toBe('');
      } else if (covered) {
        // The covering test still checks this: it holds the phrase, which is the block's own or the page's name (it reads the page).
        expect(readRepositoryFile(covered.coveredBy)).toContain(covered.phrase);
        expect(block.text.includes(covered.phrase) || block.file.endsWith(covered.phrase)).toBe(true);
      } else if (block.language === 'json') {
        checkConfigJson(block, state);
      } else if (block.language === 'sh' || block.language === 'bash') {
        await checkShellBlock(block, scratch);
      } else if (block.language === '' || block.language === 'text' || block.language === 'markdown') {
        checkQuotedLines(block);
      } else if (block.language === 'ini') {
        checkSystemdUnit(block);
      } else if (block.language === 'yaml') {
        checkPodSpec(block);
      } else if (block.language === 'ts') {
        checkTypeScript(block);
      } else {
        throw new Error(`${describeBlock(block)}: no check for \`\`\`${block.language} blocks: add one to __tests__/docs/snippets.test.ts`);
      }
    },
    300_000,
  );
});
