/**
 * Writes the JSON Schemas of the config files users edit from their definitions, for editors'
 * completion and checks (config/environments.ts and the metric declaration validate with the
 * definitions themselves):
 *
 *   npm run schemas          write config/environments.schema.json, config/metrics.schema.json and
 *                            metric-declaration/src/metrics.schema.json
 *   npm run schemas:check    exit 1, naming each file, when a committed schema is not what its definition gives
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { toJson } from '../config/schema/builders';
import { ENVIRONMENTS_FILE } from '../config/schema/environments';
import { METRICS_FILE } from '../config/schema/metrics';

const ROOT = join(__dirname, '..');

/** Each generated file and its definition. */
const SCHEMAS = [
  { file: join(ROOT, 'config', 'environments.schema.json'), definition: ENVIRONMENTS_FILE, source: 'config/schema/environments.ts' },
  { file: join(ROOT, 'config', 'metrics.schema.json'), definition: METRICS_FILE, source: 'config/schema/metrics.ts' },
  {
    file: join(ROOT, 'metric-declaration', 'src', 'metrics.schema.json'),
    definition: METRICS_FILE,
    source: 'config/schema/metrics.ts',
  },
];

/** The file's content as committed: the definition's JSON in the repository's Prettier style. */
async function content(file: string, definition: object): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return format(JSON.stringify(toJson(definition as never)), { ...options, filepath: file });
}

async function main(check: boolean): Promise<number> {
  let stale = 0;
  for (const { file, definition, source } of SCHEMAS) {
    const name = relative(process.cwd(), file);
    const expected = await content(file, definition);
    if (!check) {
      writeFileSync(file, expected);
      console.log(`wrote ${name}`);
    } else if (readFileSync(file, 'utf8') !== expected) {
      console.error(`${name} is not what ${source} defines: run \`npm run schemas\` and commit it.`);
      stale += 1;
    }
  }
  return stale === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.includes('--check')).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`schemas: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
