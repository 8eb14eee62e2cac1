/**
 * A scratch copy of the checkout in which the docs' commands run as written, with `../base` beside
 * it standing in for docs/gitops.md's `git worktree add ../base origin/main` (a copy of the same
 * checkout: its synth output is this one's). node_modules are linked, as `npm ci` left them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ROOT } from './markdown-blocks';

/** Set for every command run: no call home from the cdktf CLI, no colour codes in what is compared. */
export const HARNESS_ENV: Readonly<Record<string, string>> = { CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' };

/** Left out of the copy: history, installs and what the tools write. */
const NOT_COPIED = new Set(['.git', 'node_modules', 'cdktf.out', '.kafka', '.cache', 'previews', 'coverage', 'bench-results']);
const WORKSPACES = ['metric-declaration', 'forwarder'];

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class ScratchCheckout {
  readonly root = mkdtempSync(join(tmpdir(), 'docs-snippets-'));
  readonly checkout = join(this.root, 'checkout');
  readonly base = join(this.root, 'base');
  private readonly results = new Map<string, RunResult>();

  constructor() {
    for (const folder of [this.checkout, this.base]) {
      cpSync(ROOT, folder, { recursive: true, filter: (source) => !NOT_COPIED.has(relative(ROOT, source).split('/')[0]) });
      symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
      for (const workspace of WORKSPACES) {
        const modules = join(ROOT, workspace, 'node_modules');
        if (existsSync(modules)) symlinkSync(modules, join(folder, workspace, 'node_modules'), 'dir');
      }
    }
  }

  /** The environment of every command: this process's, without what jest or a cdktf run set, plus HARNESS_ENV. */
  private env(): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('CDKTF_') && !name.startsWith('JEST_')),
    );
    return { ...inherited, ...HARNESS_ENV };
  }

  /** Runs a command line with bash in `cwd`; the same line in the same folder runs once (later calls get its result). */
  run(cwd: string, text: string): RunResult {
    // `CHECKPOINT_DISABLE=1 npx cdktf synth` and `npx cdktf synth` are one command here.
    const normalized = text.replace(/\b([A-Z_]+)=(\S+)\s+/g, (assignment, name: string, value: string) =>
      HARNESS_ENV[name] === value ? '' : assignment,
    );
    const key = `${cwd}\n${normalized}`;
    const cached = this.results.get(key);
    if (cached) return cached;
    const result = spawnSync('bash', ['-c', text], { cwd, env: this.env(), encoding: 'utf8', timeout: 180_000 });
    const outcome = { code: result.status, stdout: result.stdout, stderr: result.stderr + (result.error ? String(result.error) : '') };
    this.results.set(key, outcome);
    return outcome;
  }

  /** The folder a path given in `cwd` names, inside the scratch root (never outside it). */
  resolve(cwd: string, path: string): string {
    const resolved = resolve(cwd, path);
    if (relative(this.root, resolved).startsWith('..')) throw new Error(`${path} leaves the scratch folder`);
    return resolved;
  }

  /** A synth output in `folder` (cdktf.out), made by the docs' own command if none was yet. */
  ensureSynth(folder: string): RunResult {
    mkdirSync(folder, { recursive: true });
    return this.run(folder, 'npx cdktf synth');
  }

  /**
   * Starts a server command with `--port 0` appended (a free port), waits until it says
   * `listening on`, stops it with SIGTERM (to its process group: npx does not pass signals on)
   * and returns everything it printed.
   */
  probe(cwd: string, argv: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
    return new Promise((done) => {
      const child = spawn(argv[0], [...argv.slice(1), '--port', '0'], { cwd, env: this.env(), detached: true });
      let stdout = '';
      let stderr = '';
      let signalled = false;
      const stop = () => {
        if (signalled) return;
        signalled = true;
        process.kill(-child.pid!, 'SIGTERM');
      };
      const deadline = setTimeout(stop, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('listening on')) stop();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => {
        clearTimeout(deadline);
        done({ code, stdout, stderr });
      });
    });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
