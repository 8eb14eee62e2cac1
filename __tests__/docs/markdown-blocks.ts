import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** One fenced code block of a Markdown page, as a reader sees it. */
export interface CodeBlock {
  /** Repository-relative path of the page, e.g. `docs/provisioning.md`. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word (`sh`, `json`, ...), '' for a bare fence. */
  readonly language: string;
  /** The content, without the indentation of the fence (blocks inside list items are indented). */
  readonly text: string;
  /** The nearest heading above the block, e.g. `## Adding an inference metric`. */
  readonly section: string;
}

/** README.md and every page of docs/ (not docs/api, which TypeDoc generates from the code). */
export function documentationPages(): string[] {
  const pages = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages];
}

/** Every fenced block of a page, in order. */
export function codeBlocksOf(file: string, markdown = readFileSync(join(ROOT, file), 'utf8')): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let section = '';
  for (let index = 0; index < lines.length; index++) {
    const opening = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[index]);
    if (!opening) {
      if (/^#{1,6} /.test(lines[index])) section = lines[index].trim();
      continue;
    }
    const [, indent, fence, language] = opening;
    const content: string[] = [];
    let closed = false;
    for (index++; index < lines.length; index++) {
      const closing = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[index]);
      if (closing && closing[1][0] === fence[0] && closing[1].length >= fence.length) {
        closed = true;
        break;
      }
      content.push(lines[index].startsWith(indent) ? lines[index].slice(indent.length) : lines[index].trimStart());
    }
    const line = index - content.length;
    if (!closed) throw new Error(`${file}:${line}: code block never closed`);
    blocks.push({ file, line, language: language.toLowerCase(), text: content.join('\n'), section });
  }
  return blocks;
}

/** How a failure names a block, so that its author can find it. */
export function describeBlock(block: CodeBlock): string {
  const first = block.text.split('\n').find((line) => line.trim() !== '') ?? '';
  return `${block.file}:${block.line} (\`\`\`${block.language}, first line: ${first.trim().slice(0, 100)})`;
}

/** A worked example of a page: a ```json environment entry and the ```text queries right after it. */
export interface EnvironmentExample {
  readonly environment: any;
  readonly queries: string[];
}

/** The worked examples of a page (docs/model-monitoring.md, traffic-and-pipeline.md, slos.md), as written. */
export function environmentExamples(markdown: string): EnvironmentExample[] {
  const blocks = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((match) => ({ language: match[1], text: match[2] }));
  return blocks.flatMap((block, index) =>
    block.language === 'json' && blocks[index + 1]?.language === 'text'
      ? [{ environment: JSON.parse(block.text), queries: blocks[index + 1].text.trim().split('\n') }]
      : [],
  );
}
