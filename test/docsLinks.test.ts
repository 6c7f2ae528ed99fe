import fs from 'node:fs';
import path from 'node:path';

/**
 * The documentation's map stays true: every relative link in README.md, ARCHITECTURE.md and docs/
 * points at a file that exists (and, with a #fragment, at one of its headings), and every
 * repository path the prose names in backticks exists (issue 16).
 */
const root = path.resolve(__dirname, '..');
const pages = ['README.md', 'ARCHITECTURE.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const TOP = ['src', 'dev', 'scripts', 'test', 'docs', 'console', 'clients', 'migrations', 'bench', '.ci', 'deploy'];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#+\s+(.*)$/gm)) {
    const base = slug(m[1]!.replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function links(page: string): { target: string; line: number }[] {
  const text = fs.readFileSync(path.join(root, page), 'utf8');
  const found: { target: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) found.push({ target: m[1]!, line: i + 1 });
  });
  return found;
}

function namedPaths(page: string): { target: string; line: number }[] {
  const text = fs.readFileSync(path.join(root, page), 'utf8');
  const found: { target: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/`([.\w-]+(?:\/[.\w-]+)+\/?)`/g)) {
      const p = m[1]!;
      if (TOP.includes(p.split('/')[0]!)) found.push({ target: p, line: i + 1 });
    }
  });
  return found;
}

describe.each(pages)('%s', (page) => {
  test('every relative link points at a file (and a heading) that exists', () => {
    const broken: string[] = [];
    for (const { target, line } of links(page)) {
      if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
      const [file, fragment] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), decodeURIComponent(file));
      if (!fs.existsSync(resolved)) broken.push(`${page}:${line} ${target}: no such file`);
      else if (fragment && resolved.endsWith('.md') && !anchors(resolved).has(fragment)) broken.push(`${page}:${line} ${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  test('every repository path it names exists', () => {
    const missing = namedPaths(page).filter(({ target }) => !fs.existsSync(path.join(root, target))).map(({ target, line }) => `${page}:${line} ${target}`);
    expect(missing).toEqual([]);
  });
});
