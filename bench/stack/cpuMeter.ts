import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

interface Proc {
  pid: number;
  ppid: number;
  /** utime + stime, ms */
  cpuMs: number;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return procs; // not Linux
  }
  for (const e of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      // the command name may hold spaces and parentheses: fields start after the last ')'
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(e), { pid: Number(e), ppid: Number(f[1]), cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS });
    } catch {
      // exited meanwhile
    }
  }
  return procs;
}

/** busy and total CPU time of the whole machine, ms (all cores) */
function machineMs(): { busy: number; total: number } {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Process trees to account CPU to, by name: the pids are roots, their descendants count with them. */
export type CpuGroups = Record<string, number[]>;

export interface CpuUsage {
  /** CPU ms spent by each group over the window */
  byGroup: Record<string, number>;
  /** CPU ms spent by everything else on the machine (other engineers' test suites, for one) */
  elsewhere: number;
  /** the window's length, ms, and the CPU ms the machine had in it (cores × window) */
  wallMs: number;
  capacityMs: number;
}

function snapshot(groups: CpuGroups): { byGroup: Record<string, number>; pids: Map<number, string>; machine: { busy: number; total: number }; at: number } {
  const procs = readProcs();
  const children = new Map<number, number[]>();
  for (const p of procs.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const byGroup: Record<string, number> = {};
  const pids = new Map<number, string>();
  for (const [name, roots] of Object.entries(groups)) {
    byGroup[name] = 0;
    const stack = [...roots];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      const p = procs.get(pid);
      if (!p || pids.has(pid)) continue;
      pids.set(pid, name);
      byGroup[name]! += p.cpuMs;
      stack.push(...(children.get(pid) ?? []));
    }
  }
  return { byGroup, pids, machine: machineMs(), at: Date.now() };
}

/**
 * Where the machine's CPU went during a window, process tree by process tree,
 * from /proc (utime + stime). Dividing by the requests served gives CPU ms per
 * request for the API, the worker, the Temporal server, PostgreSQL and the bench
 * itself: the first thing to look at when a path falls short of its floor.
 */
export class CpuMeter {
  private start: ReturnType<typeof snapshot> | undefined;

  constructor(private readonly groups: () => CpuGroups) {}

  begin(): void {
    this.start = snapshot(this.groups());
  }

  end(): CpuUsage {
    const a = this.start ?? snapshot(this.groups());
    const b = snapshot(this.groups());
    const byGroup: Record<string, number> = {};
    let ours = 0;
    for (const name of Object.keys(b.byGroup)) {
      const used = Math.max(0, b.byGroup[name]! - (a.byGroup[name] ?? 0));
      byGroup[name] = Math.round(used);
      ours += used;
    }
    const wallMs = b.at - a.at;
    return {
      byGroup,
      elsewhere: Math.max(0, Math.round(b.machine.busy - a.machine.busy - ours)),
      wallMs,
      capacityMs: Math.round(b.machine.total - a.machine.total) || wallMs * os.availableParallelism(),
    };
  }
}

/** Pids of the processes whose command line contains `text` and whose parent's does not (the root of a tree, e.g. the postmaster). */
export function findProcessRoots(text: string): number[] {
  const matching = new Map<number, number>();
  for (const p of readProcs().values()) {
    try {
      if (fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(text)) matching.set(p.pid, p.ppid);
    } catch {
      // exited meanwhile
    }
  }
  return [...matching].filter(([, ppid]) => !matching.has(ppid)).map(([pid]) => pid);
}
