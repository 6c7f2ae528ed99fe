import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** node_modules/<package> (scoped too), "node:" internals, the project, or V8's own buckets */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node internals';
  if (/workflow-bundle|webpack/.test(url)) return 'workflow bundle';
  return 'resetflow';
}

/**
 * The main thread's self time of one `--cpu-prof` profile, by package and by
 * function. argon2 runs on libuv's pool threads and so never appears here: what
 * does is the JavaScript work around it.
 */
export function summarizeProfile(file: string, top = 15): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const total = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0) || 1;
  const intervalMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples?.length ?? total);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const o = owner(url, functionName);
    byOwner.set(o, (byOwner.get(o) ?? 0) + hits);
    const key = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''} [${o}]`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const fmt = (entries: Map<string, number>) =>
    [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([k, v]) => `    ${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v * intervalMs / 1000).toFixed(1).padStart(6)} s  ${k}`).join('\n');
  return `  ${path.basename(file)}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(0)} s profiled\n  by package:\n${fmt(byOwner)}\n  by function:\n${fmt(byFunction)}`;
}
