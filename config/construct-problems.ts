import { IConstruct } from 'constructs';
import { ConfigProblem } from '@algorithmia-datadog/metric-declaration';
import {
  describePropProblem,
  problemInParent,
  propPath,
  propProblemsOf,
  propsOriginOf,
  type PropPath,
  type PropProblem,
} from '../constructs/problems';
import type { EnvironmentSettings } from './environments';

/**
 * The constructs check what settings mean (warning below critical, valid tags...) and report each
 * problem at the prop it is about, as data. This follows each construct's recorded props origin up
 * to the stack (a monitor's `warning` is the integration's `changeMonitors.risk_score.warning`, a
 * tag it inherited is the integration's `tags[1]`), then to the key of config/environments.json
 * that set it, so that the user is told which line to change and an environment-level value
 * inherited by three monitors is reported once, not three times.
 */
export function constructProblems(environment: EnvironmentSettings, stack: IConstruct): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const construct of stack.node.findAll()) {
    for (const problem of propProblemsOf(construct)) problems.push(configProblem(environment, stack, construct, problem));
  }
  return problems;
}

function configProblem(environment: EnvironmentSettings, stack: IConstruct, construct: IConstruct, problem: PropProblem): ConfigProblem {
  const root = ['environments', environment.name];
  let inStack: PropProblem | undefined = problem;
  for (let current = construct; current !== stack; current = current.node.scope as IConstruct) {
    const origin = propsOriginOf(current);
    if (!origin) {
      inStack = undefined;
      break;
    }
    inStack = problemInParent(origin, inStack);
  }
  const path = inStack ? environmentPath(environment, inStack.path) : undefined;
  if (!path) {
    // Built from the metric declaration rather than from this file's settings: named by its construct.
    const where = construct.node.path.split('/').slice(stack.node.path.split('/').length).join('/');
    return at(root, `(${where || 'stack'}) ${describePropProblem(problem)}`);
  }
  return at([...root, ...path], (inStack as PropProblem).message);
}

/** The key path in the environment of a path in the stack's props (`integration.x` is the environment's `x`). */
function environmentPath(environment: EnvironmentSettings, path: PropPath): PropPath | undefined {
  const [section, prop, ...rest] = path;
  if (section === 'integration') return path.slice(1);
  if (section === 'forwarder' && typeof prop === 'string') {
    // The section's tags default to the environment's, and its site is the environment's.
    const setInSection = environment.forwarder?.tags !== environment.integration.tags;
    if (prop === 'site' || (prop === 'tags' && !setInSection)) return [prop, ...rest];
    return path;
  }
  return undefined;
}

function at(path: PropPath, message: string): ConfigProblem {
  return { path: propPath(path), segments: path.map(String), message };
}
