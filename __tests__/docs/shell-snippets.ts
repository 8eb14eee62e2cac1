/**
 * A shell block of the docs, command by command: each classified by shell-rules.ts, checked
 * statically (npm scripts, paths, flags, variable names, stack names), and the runnable ones run in
 * the scratch checkout as written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Script } from 'node:vm';
import { readEnvironmentsFile } from '../../config/environments';
import { CONFIG_FILES } from '../../main';
import { describeBlock, ROOT, type CodeBlock } from './markdown-blocks';
import type { ScratchCheckout } from './scratch-checkout';
import {
  missingRepositoryPaths,
  npmScriptExists,
  npmScriptOf,
  PLACEHOLDERS,
  ruleFor,
  STANDARD_VARIABLES,
  toolInvocation,
  TOOLS,
  type Mode,
  type Tool,
} from './shell-rules';
import { logicalLines, parseLine, parseSynopsis, synopsisMismatch, type ShellCommand, type Synopsis } from './shell-syntax';

const SHIPPED_STACKS = new Set(readEnvironmentsFile(CONFIG_FILES.environments).environments.map((environment) => environment.stackName));

const synopses = new Map<string, Synopsis[]>();
/** The synopses a tool prints (`usage: ...` lines), run once per tool in the repository. */
function synopsesOf(tool: Tool): Synopsis[] {
  const cached = synopses.get(tool.name);
  if (cached) return cached;
  const [command, ...args] = tool.usageCommand!;
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const lines = `${result.stdout}\n${result.stderr}`.split('\n');
  const usage = lines.findIndex((line) => /^\s*usage:/i.test(line));
  if (usage === -1) throw new Error(`${tool.usageCommand!.join(' ')} printed no usage line:\n${result.stdout}${result.stderr}`);
  // A usage may go on with the tool's other forms, indented (preview's --base/--head form).
  const first = parseSynopsis(lines[usage]);
  const forms = [first];
  for (const line of lines.slice(usage + 1)) {
    const form = parseSynopsis(line);
    if (!/^\s{2,}\S/.test(line) || form.program !== first.program) break;
    forms.push(form);
  }
  const parsed = forms;
  synopses.set(tool.name, parsed);
  return parsed;
}

/** A synopsis quoted in the docs marks optional arguments `[--flag]`: as a call, they are just given. */
const unbracketed = (args: readonly string[]) => args.map((arg) => arg.replace(/^\[(.*)\]$/, '$1'));

/** What is wrong with a command without running it; `blockTools` are the tools the whole block runs. */
export function staticProblems(command: ShellCommand, blockTools: readonly Tool[]): string[] {
  const problems: string[] = [];
  const script = npmScriptOf(command);
  if (script && !npmScriptExists(script.name)) problems.push(`npm run ${script.name}: package.json has no such script`);
  const invocation = toolInvocation(command);
  if (invocation?.tool.usageCommand) {
    const args = unbracketed(invocation.args);
    const mismatches = synopsesOf(invocation.tool).map((synopsis) => synopsisMismatch(synopsis, args));
    if (mismatches.every((mismatch) => mismatch !== undefined)) problems.push(`${command.text}: ${mismatches[0]}`);
  }
  for (const [name] of command.assignments) {
    if (STANDARD_VARIABLES.has(name)) continue;
    if (!invocation) problems.push(`${name}=...: set for ${command.argv[0]}, which is no tool of shell-rules.ts TOOLS to check it against`);
    else if (!invocation.tool.reads(name)) problems.push(`${name}: not a setting that ${invocation.tool.name} reads`);
  }
  if (command.argv[0] === 'export') {
    for (const word of command.argv.slice(1)) {
      const name = word.split('=')[0];
      const readers = blockTools.length > 0 ? blockTools : TOOLS;
      if (!STANDARD_VARIABLES.has(name) && !readers.some((tool) => tool.reads(name))) {
        problems.push(`export ${name}: read by none of ${readers.map((tool) => tool.name).join(', ')}`);
      }
    }
  }
  for (const path of missingRepositoryPaths(command)) problems.push(`${path}: no such file or folder in the repository`);
  if (invocation?.tool.name === 'cdktf') {
    for (const stack of invocation.args.filter((arg) => arg.startsWith('algorithmia-'))) {
      if (!SHIPPED_STACKS.has(stack))
        problems.push(`${stack}: not a stack of config/environments.json (${[...SHIPPED_STACKS].join(', ')})`);
    }
  }
  const stackOption = invocation?.args.indexOf('--stack') ?? -1;
  if (stackOption !== -1 && !SHIPPED_STACKS.has(invocation!.args[stackOption + 1])) {
    problems.push(`--stack ${invocation!.args[stackOption + 1]}: not a stack of config/environments.json`);
  }
  if (command.argv[0] === 'node' && command.argv[1] === '-e') {
    try {
      new Script(command.argv[2]);
    } catch (error) {
      problems.push(`node -e: the script does not compile: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** One command of a block as classified, for the table of what ran. */
export interface ClassifiedCommand {
  readonly text: string;
  readonly mode: Mode;
  readonly reason: string;
}

/**
 * Checks every command of a shell block and runs the runnable ones in order (cd and subshells
 * followed). Returns what each command was; throws with every problem found.
 */
export async function checkShellBlock(block: CodeBlock, scratch: ScratchCheckout): Promise<ClassifiedCommand[]> {
  const classified: ClassifiedCommand[] = [];
  const problems: string[] = [];
  const lines = logicalLines(block.text).map((line) => ({
    ...line,
    text: Object.entries(PLACEHOLDERS).reduce((text, [placeholder, value]) => text.split(placeholder).join(value), line.text),
  }));
  const unknown = lines.flatMap((line) => [...line.text.matchAll(/<[a-z][^<>]*>/g)].map((match) => match[0]));
  if (unknown.length > 0)
    problems.push(`placeholders ${unknown.join(', ')}: add what they stand for to PLACEHOLDERS in __tests__/docs/shell-rules.ts`);
  const steps = lines.map((line) => ({ line, steps: parseLine(line.text) }));
  const blockTools = steps.flatMap(({ steps: all }) =>
    all.flatMap((step) => (step.kind === 'pipeline' ? step.commands.flatMap((command) => toolInvocation(command)?.tool ?? []) : [])),
  );
  for (const { line, steps: lineSteps } of steps) {
    const where = `${block.file}:${block.line + 1 + line.offset}`;
    let cwd = scratch.checkout;
    const saved: string[] = [];
    for (const step of lineSteps) {
      if (step.kind === 'open') saved.push(cwd);
      if (step.kind === 'close') cwd = saved.pop() ?? scratch.checkout;
      if (step.kind !== 'pipeline') continue;
      const modes: Mode[] = [];
      for (const command of step.commands) {
        const nested = command.substitutions.flatMap((text) =>
          parseLine(text).flatMap((inner) => (inner.kind === 'pipeline' ? inner.commands : [])),
        );
        for (const each of [command, ...nested]) {
          const rule = ruleFor(each);
          if (!rule) {
            problems.push(
              `${where}: no rule for \`${each.argv.join(' ')}\` in ${describeBlock(block)}: add one to COMMAND_RULES in ` +
                '__tests__/docs/shell-rules.ts (run: quick, local, safe; static: why not), or fix the command',
            );
            continue;
          }
          modes.push(rule.mode);
          problems.push(...staticProblems(each, blockTools).map((problem) => `${where}: ${problem}`));
          if (each === command) classified.push({ text: command.text, mode: rule.mode, reason: rule.reason });
        }
      }
      const mode: Mode = modes.includes('static') || modes.length === 0 ? 'static' : modes.includes('probe') ? 'probe' : 'run';
      const [first] = step.commands;
      if (mode === 'static') continue;
      for (const word of step.commands.flatMap((command) => command.argv)) {
        // A command that reads a synth output gets the one `npx cdktf synth` writes there.
        const at = word.indexOf('cdktf.out');
        if (at !== -1 && !/^npx cdktf synth$/.test(first.argv.join(' '))) {
          const synth = scratch.ensureSynth(scratch.resolve(cwd, word.slice(0, at) || '.'));
          if (synth.code !== 0) problems.push(`${where}: npx cdktf synth (for ${word}) failed:\n${synth.stdout}${synth.stderr}`);
        }
      }
      if (first.argv[0] === 'cd') {
        const target = scratch.resolve(cwd, first.argv[1]);
        if (!existsSync(target)) problems.push(`${where}: cd ${first.argv[1]}: no such folder after the commands before it`);
        else cwd = target;
      } else if (mode === 'probe') {
        const result = await scratch.probe(cwd, unbracketed(first.argv));
        if (!/listening on/.test(result.stdout) || !/SIGTERM: \{/.test(result.stdout)) {
          problems.push(`${where}: ${step.text} did not start and stop cleanly:\n${result.stdout}${result.stderr}`);
        }
      } else {
        const result = scratch.run(cwd, step.text);
        const accepted = step.commands.map((command) => ruleFor(command)?.exitCodes ?? [0]).pop()!;
        if (!accepted.includes(result.code ?? -1)) {
          problems.push(
            `${where}: \`${step.text}\` exited ${result.code} (expected ${accepted.join(' or ')}):\n${result.stdout}${result.stderr}`,
          );
        }
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return classified;
}
