import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withForwarderEnabled } from '../../../scripts/cdktn/forwarder-app';

describe('withForwarderEnabled', () => {
  it('switches on every declared forwarder and leaves the rest of each environment as it is', () => {
    const file = {
      environments: {
        staging: { scope: 'env:staging', forwarder: { enabled: false, image: 'x:1' } },
        prod: { scope: 'env:prod' },
      },
    };
    expect(withForwarderEnabled(file)).toEqual({
      environments: {
        staging: { scope: 'env:staging', forwarder: { enabled: true, image: 'x:1' } },
        prod: { scope: 'env:prod' },
      },
    });
    expect(file.environments.staging.forwarder.enabled).toBe(false);
  });

  it('gives the committed config at least one forwarder to compare', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'environments.json'), 'utf8'));
    const enabled = Object.values(withForwarderEnabled(committed).environments ?? {}).filter((environment) => environment.forwarder?.enabled);
    expect(enabled.length).toBeGreaterThan(0);
  });
});
