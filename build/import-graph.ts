import type { Metafile } from 'esbuild';

/** What a built function holds: the inputs it loads at start, and those it loads on first use. */
export interface ImportGraph {
  /** Inputs of the entry chunk and of every chunk it imports statically: loaded before the function is registered. */
  atStart: Set<string>;
  /** Inputs of chunks reached through a dynamic `import()` only. */
  onFirstUse: Set<string>;
}

/**
 * Splits a bundle's inputs by when they load, from esbuild's metafile: of one function
 * (`buildFunction`), or of function `name` in the metafile of every function built in one
 * pass (`buildAllInOnePass`, whose entries are `<name>/index.mjs`).
 */
export function importGraph(metafile: Metafile, name?: string): ImportGraph {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  const byPath = new Map(outputs);
  const entryFile = name === undefined ? '/index.mjs' : `/${name}/index.mjs`;
  const [entry] = outputs.find(([file]) => file.endsWith(entryFile)) ?? [];
  if (!entry) throw new Error(`the metafile has no entry chunk ${entryFile}`);
  const reach = (roots: string[], kinds: Set<string>) => {
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imported of byPath.get(file)?.imports ?? []) {
        if (!imported.external && kinds.has(imported.kind)) queue.push(imported.path);
      }
    }
    return seen;
  };
  const startChunks = reach([entry], new Set(['import-statement']));
  const allChunks = reach([entry], new Set(['import-statement', 'dynamic-import']));
  const inputsOf = (chunks: Iterable<string>) => new Set([...chunks].flatMap((file) => Object.keys(byPath.get(file)?.inputs ?? {})));
  const atStart = inputsOf(startChunks);
  const onFirstUse = new Set([...inputsOf(allChunks)].filter((input) => !atStart.has(input)));
  return { atStart, onFirstUse };
}

/** The npm package an input belongs to (`@scope/name` or `name`), or null for the project's own files. */
export function packageOf(input: string): string | null {
  const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : null;
}

/** The packages among `inputs`, sorted. */
export function packagesOf(inputs: Iterable<string>): string[] {
  return [...new Set([...inputs].map(packageOf).filter((name): name is string => name !== null))].sort();
}
