import fs from 'node:fs';

/** The invariants checked after every scenario, by name (issue 12). */
export const INVARIANTS = {
  I1: 'one terminal outcome per reset',
  I2: 'at most one password change per token or operation',
  I3: 'token state only moves forward',
  I4: 'each email sent at least once, and not again once the provider accepted it',
  I5: 'revocation idempotent',
  I6: 'one audit row per step',
} as const;

export type InvariantId = keyof typeof INVARIANTS;

export interface InvariantResult {
  id: InvariantId;
  ok: boolean;
  /** what was looked at, e.g. "7 resets, 7 histories" */
  checked: string;
  violations: string[];
}

export interface Timing {
  what: string;
  value: string;
  detail: string;
}

interface ScenarioRecord {
  name: string;
  invariants: InvariantResult[];
}

/**
 * What the suite proved, written after every change to the file jest.chaos.config.js names, so
 * the summary reporter (test/chaos/summaryReporter.js) prints it at the end of the run, even
 * when a scenario failed half-way.
 */
export class Summary {
  readonly scenarios: ScenarioRecord[] = [];
  readonly timings: Timing[] = [];
  readonly notes: string[] = [];

  invariants(scenario: string, results: InvariantResult[]): void {
    this.scenarios.push({ name: scenario, invariants: results });
    this.write();
  }

  timing(what: string, value: string, detail: string): void {
    this.timings.push({ what, value, detail });
    this.write();
  }

  note(line: string): void {
    this.notes.push(line);
    this.write();
  }

  private write(): void {
    const file = process.env['RESETFLOW_CHAOS_SUMMARY'];
    if (!file) return;
    fs.writeFileSync(file, JSON.stringify({ invariantNames: INVARIANTS, scenarios: this.scenarios, timings: this.timings, notes: this.notes }, null, 2));
  }
}

/** Seconds with one decimal, from milliseconds. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
