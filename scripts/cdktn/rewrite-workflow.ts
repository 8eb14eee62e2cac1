import { MINIMUM_NODE } from './packages';
import { rewriteCommand } from './rewrite-package';

const NODE_MAJOR = Number(MINIMUM_NODE.split('.')[0]);

/** A `node-version:` or `NODE_VERSION:` line of a workflow, with its (optionally quoted) version. */
const NODE_VERSION_LINE = /^(\s*(?:-\s*)?(?:node-version|NODE_VERSION)\s*:\s*)(["']?)(\d+)((?:\.[\dx*]+)*)\2(.*)$/;
/** What comes before a shell command on a YAML line: indentation, a list dash, `run:`. */
const COMMAND_LINE = /^(\s*(?:-\s+)?(?:run:\s*)?)(.*)$/;

/**
 * A CI workflow (GitHub Actions YAML) for the CDK Terrain variant: `cdktf` commands run `cdktn`,
 * and a Node.js major below cdktn-cli's minimum becomes that major (setup-node then installs its
 * newest release, above the minimum). A workflow that runs no cdktf command comes back unchanged.
 */
export function rewriteWorkflow(yaml: string): { text: string; changes: string[] } {
  const changes: string[] = [];
  let runsCdktf = false;
  const lines = yaml.split('\n').map((line) => {
    const [, prefix, command] = COMMAND_LINE.exec(line)!;
    const next = prefix + rewriteCommand(command);
    if (next === line) return line;
    runsCdktf = true;
    changes.push(`${line.trim()} -> ${next.trim()}`);
    return next;
  });
  if (!runsCdktf) return { text: yaml, changes: [] };
  for (const [index, line] of lines.entries()) {
    const node = NODE_VERSION_LINE.exec(line);
    if (!node || Number(node[3]) >= NODE_MAJOR) continue;
    const [, key, quote, , , rest] = node;
    lines[index] = `${key}${quote}${NODE_MAJOR}${quote}${rest}`;
    changes.push(`${line.trim()} -> ${lines[index].trim()}`);
  }
  return { text: lines.join('\n'), changes };
}
