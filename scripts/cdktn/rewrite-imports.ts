import ts from 'typescript';
import { movedSpecifier } from './packages';

export interface ImportRewrite {
  text: string;
  /** `from -> to` for every specifier changed, in source order. */
  changes: string[];
}

/**
 * Moves the module specifiers of a TypeScript or JavaScript file from the CDKTF packages to the CDK
 * Terrain ones: `import`, `export ... from`, `require()`, `import()` and `import("...")` types.
 * Only specifiers change, never other strings, so a label such as `managed-by: cdktf` stays as it
 * is. TypeScript's own pre-processor finds them (comments and strings that merely look like imports
 * are skipped).
 */
export function rewriteImports(source: string): ImportRewrite {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  const changes: string[] = [];
  let text = '';
  let copied = 0;
  for (const reference of importedFiles) {
    const to = movedSpecifier(reference.fileName);
    if (to === undefined) continue;
    const start = specifierStart(source, reference);
    text += source.slice(copied, start) + to;
    copied = start + reference.fileName.length;
    changes.push(`${reference.fileName} -> ${to}`);
  }
  return { text: text + source.slice(copied), changes };
}

/** Where the specifier's text begins: `pos` is its opening quote. */
function specifierStart(source: string, reference: ts.FileReference): number {
  const start = reference.pos + 1;
  if (!`'"\``.includes(source[reference.pos]) || source.slice(start, start + reference.fileName.length) !== reference.fileName) {
    throw new Error(`could not locate the import of "${reference.fileName}" at offset ${reference.pos}`);
  }
  return start;
}
