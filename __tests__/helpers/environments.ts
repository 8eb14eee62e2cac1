import { join } from 'node:path';
import { EnvironmentConfigError, parseEnvironments } from '../../config/environments';

/** The shipped config folder (config/environments.json, config/metrics.json). */
export const CONFIG = join(__dirname, '..', '..', 'config');

/** The problems parseEnvironments reports for `json`; fails the test when it accepts it. */
export function problemsOf(json: unknown): readonly string[] {
  try {
    parseEnvironments(json, 'environments.json');
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    return (error as EnvironmentConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}
