#!/usr/bin/env node
// Module cycles, the ones a newcomer trips over: inside each Rust crate, between its top-level
// modules (`use crate::config::…` in data/ makes data → config), and in web/, between ES modules
// (relative imports). Prints every cycle (strongly connected component of more than one node)
// and compares with the known ones in scripts/module-cycles.known: a new cycle fails (exit 1),
// so the list can only shrink; a known cycle that is gone is reported, to be struck off.
//   node scripts/module-cycles.mjs            # check (scripts/test.sh runs this)
//   node scripts/module-cycles.mjs --list     # print the cycles found, in the .known format
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const KNOWN = join(ROOT, 'scripts/module-cycles.known');

function files(dir, ext) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path, ext);
    return path.endsWith(ext) ? [path] : [];
  });
}

// Rust: a file's top-level module is its first path segment under src/ (lib.rs and main.rs are
// the crate root, left out: they list the modules). Edges come from `crate::X` and, in a
// sub-module, `super::X` where super is the crate root.
function rustGraph(crate) {
  const src = join(ROOT, 'crates', crate, 'src');
  const graph = new Map();
  for (const file of files(src, '.rs')) {
    const rel = relative(src, file).replace(/\.rs$/, '').split('/');
    if (rel.length === 1 && (rel[0] === 'lib' || rel[0] === 'main')) continue;
    const from = rel[0];
    const edges = graph.get(from) ?? new Set();
    graph.set(from, edges);
    // Unit tests (a `#[cfg(test)] mod tests` at the end of a file) may reach anywhere.
    const text = readFileSync(file, 'utf8').split('#[cfg(test)]')[0].replace(/\/\/.*$/gm, '');
    const uses = [...text.matchAll(/crate::(\w+)/g)].map((m) => m[1]);
    // `use crate::{a, b::c}` lists several.
    for (const group of text.matchAll(/crate::\{([^}]*)\}/g)) uses.push(...group[1].split(',').map((s) => s.trim().split('::')[0]));
    if (rel.length === 1) for (const m of text.matchAll(/super::(\w+)/g)) uses.push(m[1]);
    for (const to of uses) if (to && to !== from && to !== 'self') edges.add(to);
  }
  for (const edges of graph.values()) for (const to of [...edges]) if (!graph.has(to)) edges.delete(to);
  return graph;
}

function jsGraph() {
  const web = join(ROOT, 'web');
  const graph = new Map();
  for (const file of files(web, '.js')) {
    const from = relative(ROOT, file);
    const edges = new Set();
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
      edges.add(relative(ROOT, resolve(dirname(file), m[1] ?? m[2])));
    }
    graph.set(from, edges);
  }
  return graph;
}

// Tarjan's strongly connected components; each with more than one node is a cycle.
function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) {
        info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
      }
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort().join(' '));
    }
  };
  for (const v of graph.keys()) if (!info.has(v)) visit(v);
  return found;
}

const crates = readdirSync(join(ROOT, 'crates')).filter((c) => existsSync(join(ROOT, 'crates', c, 'src')));
const found = [
  ...crates.flatMap((c) => cycles(rustGraph(c)).map((s) => `${c}: ${s}`)),
  ...cycles(jsGraph()).map((s) => `web: ${s}`),
].sort();

if (process.argv.includes('--list')) {
  console.log(found.join('\n'));
  process.exit(0);
}
const known = existsSync(KNOWN)
  ? readFileSync(KNOWN, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  : [];
const fresh = found.filter((c) => !known.includes(c));
const gone = known.filter((c) => !found.includes(c));
console.log(`module cycles: ${found.length} (known ${known.length})`);
for (const c of found) console.log(`  ${fresh.includes(c) ? 'NEW ' : ''}${c}`);
for (const c of gone) console.log(`  gone (strike it from scripts/module-cycles.known): ${c}`);
if (fresh.length) {
  console.error('A new module cycle: break it (move the shared piece down a layer) rather than list it.');
  process.exit(1);
}
