/**
 * JSON.parse that also reads the bare `NaN`, `Infinity` and `-Infinity` that Python's json module
 * writes by default. Algorithmia's Python client can emit them; reading them lets the translator
 * count those values as non-finite and still forward the message's other metrics.
 */
const NON_FINITE_MARKERS: Readonly<Record<string, number>> = {
  '\u0000NaN': Number.NaN,
  '\u0000Infinity': Number.POSITIVE_INFINITY,
  '\u0000-Infinity': Number.NEGATIVE_INFINITY,
};

export function parseJsonAllowingNonFinite(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    const marked = markNonFiniteTokens(text);
    if (marked === text) throw error;
    return JSON.parse(marked, (_key, value: unknown) =>
      typeof value === 'string' && value in NON_FINITE_MARKERS ? NON_FINITE_MARKERS[value] : value,
    );
  }
}

/** Replaces the tokens outside string literals with marker strings. */
function markNonFiniteTokens(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    for (const token of ['-Infinity', 'Infinity', 'NaN']) {
      if (text.startsWith(token, i)) {
        out += `${text.slice(copiedUpTo, i)}"\\u0000${token}"`;
        i += token.length - 1;
        copiedUpTo = i + 1;
        break;
      }
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
