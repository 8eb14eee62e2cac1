import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The forwarder's version: the one in its package.json, which a release tag `v<version>` and the
 * image tag repeat (CHANGELOG.md). Read at run time, since package.json sits outside the compiled
 * sources; the image ships it next to dist/.
 */
export const FORWARDER_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;
