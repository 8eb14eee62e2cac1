import { IConstruct } from 'constructs';

/**
 * Problems with a construct's props, as data: the prop path where the problem is, and a sentence
 * about it. `cdktf synth` shows them as validation errors (`warning (6000) is not below critical
 * (5000): …`); the config layer follows the recorded origins (below) to the key of
 * config/environments.json that set the prop, without reading the sentence back.
 */

/** A prop, as keys and list positions: `['tags', 1]` is `tags[1]`. */
export type PropPath = readonly (string | number)[];

export interface PropProblem {
  /** Empty for the construct as a whole. */
  readonly path: PropPath;
  /** Reads after the path: `(6000) is not below …`, or `: …` for a sentence about the whole setting. */
  readonly message: string;
}

/** `durationMonitor.tags[1]`. */
export function propPath(path: PropPath): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`),
    '',
  );
}

/** A problem at `path`. */
export function problemAt(path: PropPath, message: string): PropProblem {
  return { path, message };
}

/** The problem as one sentence, its path first. */
export function describePropProblem(problem: PropProblem): string {
  const where = propPath(problem.path);
  if (where === '') return problem.message;
  return problem.message.startsWith(':') ? `${where}${problem.message}` : `${where} ${problem.message}`;
}

const PROBLEMS = new WeakMap<IConstruct, PropProblem[]>();

/** Registers problems found while reading props; synth fails if there is any. */
export function addProblems(scope: IConstruct, problems: readonly PropProblem[]): void {
  if (problems.length === 0) return;
  let registered = PROBLEMS.get(scope);
  if (!registered) {
    registered = [];
    PROBLEMS.set(scope, registered);
    const list = registered;
    scope.node.addValidation({ validate: () => list.map(describePropProblem) });
  }
  registered.push(...problems);
}

/** The problems registered on one construct (not its children). */
export function propProblemsOf(construct: IConstruct): readonly PropProblem[] {
  return PROBLEMS.get(construct) ?? [];
}

/**
 * Where a construct's props came from in its parent's props, recorded by the parent that made
 * them, so that a problem with a prop can be shown where the prop was set.
 */
export interface PropsOrigin {
  /** The settings object in the parent's props, e.g. `['changeMonitors', 'risk_score']`; `[]` for the parent's props themselves. */
  readonly settings: PropPath;
  /** Props the settings object sets itself. */
  readonly own: readonly string[];
  /** Props that, where the settings do not set them, are the parent's prop of the same name. @default none */
  readonly inherited?: readonly string[];
  /** List props joined from several lists, each part in order. @default none */
  readonly joined?: Readonly<Record<string, readonly JoinedPart[]>>;
}

/** Items of a joined list prop that came from one list of the parent's props. */
export interface JoinedPart {
  /** That list in the parent's props; none for items the parent adds itself. */
  readonly from?: PropPath;
  /** For each item of the part, its position in `from`. */
  readonly positions: readonly number[];
}

const ORIGINS = new WeakMap<IConstruct, PropsOrigin>();

export function recordPropsOrigin(construct: IConstruct, origin: PropsOrigin): void {
  ORIGINS.set(construct, origin);
}

export function propsOriginOf(construct: IConstruct): PropsOrigin | undefined {
  return ORIGINS.get(construct);
}

/** A problem of a construct's prop as a problem of its parent's props, through the recorded origin. */
export function problemInParent(origin: PropsOrigin, problem: PropProblem): PropProblem {
  const [prop, ...rest] = problem.path;
  if (typeof prop !== 'string') return { ...problem, path: [...origin.settings, ...problem.path] };
  const own = origin.own.includes(prop);
  const parts = origin.joined?.[prop];
  const [index, ...inItem] = rest;
  if (parts && typeof index === 'number') {
    let start = 0;
    for (const part of parts) {
      if (index < start + part.positions.length) {
        if (!part.from) break;
        return { ...problem, path: [...part.from, part.positions[index - start], ...inItem] };
      }
      start += part.positions.length;
    }
  }
  if (!own && (parts !== undefined || origin.inherited?.includes(prop))) return problem;
  return { ...problem, path: [...origin.settings, ...problem.path] };
}
