import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The upstream Pod Security admission check (k8s.io/pod-security-admission, the library behind
 * the PodSecurity admission controller), built from ./pod-security-admission with the Go toolchain:
 * modules come through the Go module proxy the first time, then from the module and build caches.
 */
export class UpstreamPodSecurity {
  private readonly folder = mkdtempSync(join(tmpdir(), 'pod-security-admission-'));
  private readonly binary = join(this.folder, 'pod-security-admission-check');

  /** Builds the checker; slow the first time on a machine (module download and compile). */
  build(): void {
    execFileSync('go', ['build', '-mod=readonly', '-o', this.binary, '.'], {
      cwd: join(__dirname, 'pod-security-admission'),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local' },
    });
  }

  /** label → the `restricted` verdict and the admission controller's message. */
  restricted(pods: Record<string, unknown>): Record<string, { allowed: boolean; forbidden: string }> {
    return JSON.parse(execFileSync(this.binary, { input: JSON.stringify(pods), encoding: 'utf8' }));
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}
