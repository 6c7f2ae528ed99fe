import fs from 'node:fs';

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // gone, or not Linux
  }
}

/**
 * Peak resident memory of one process over a measured window. The kernel's own
 * high-water mark (VmHWM) is reset at the start of each window by writing 5 to
 * /proc/<pid>/clear_refs (Linux >= 4.0); a 100 ms VmRSS sampler backs it up where
 * the reset is refused, so a window never reports the process's lifetime peak.
 */
export class PeakRss {
  private sampledKb = 0;
  private hwmResettable = true;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100).unref();
    this.reset();
  }

  reset(): void {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      this.hwmResettable = false;
    }
    this.sampledKb = statusKb(this.pid, 'VmRSS') ?? 0;
  }

  private sample(): void {
    this.sampledKb = Math.max(this.sampledKb, statusKb(this.pid, 'VmRSS') ?? 0);
  }

  /** MiB since the last reset */
  peakMb(): number {
    this.sample();
    const hwm = this.hwmResettable ? statusKb(this.pid, 'VmHWM') ?? 0 : 0;
    return Math.round(Math.max(hwm, this.sampledKb) / 1024);
  }

  /** MiB resident now */
  currentMb(): number {
    return Math.round((statusKb(this.pid, 'VmRSS') ?? 0) / 1024);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
