import type { PostmarkSink } from '../../../dev/postmarkSink';
import type { Chaos, Processes } from './harness';
import type { Api } from './http';
import { checkInvariants } from './invariants';
import { StateObserver } from './observer';
import { INVARIANTS, type InvariantId, type InvariantResult } from './summary';

/** The one cluster of the run, started in the test file's beforeAll. */
export interface Ctx {
  readonly chaos: Chaos;
}

/**
 * One scenario's slice of the cluster: its own tenants, its own client address (so per-IP limits
 * are its own), a state observer running from its start, and the invariants read once at its end.
 */
export class ScenarioRun {
  readonly tenants: string[] = [];
  private observer: StateObserver | undefined;
  private results: Promise<InvariantResult[]> | undefined;
  address = '';

  constructor(private readonly ctx: Ctx, readonly name: string) {}

  get chaos(): Chaos {
    return this.ctx.chaos;
  }

  /** Called first in the scenario's beforeAll. */
  begin(): void {
    this.address = this.chaos.freshAddress();
    this.observer = new StateObserver(this.chaos.db, () => this.tenants).start();
  }

  /** The API replicas, from this scenario's address. */
  get apis(): [Api, Api] {
    const [a, b] = this.chaos.apis(this.address);
    return [a!, b!];
  }

  /**
   * What every scenario's beforeAll starts with: begin(), then a tenant of its own (with
   * `settings`), and the handles it works with.
   */
  async setUp(settings: Record<string, unknown> = {}): Promise<{ chaos: Chaos; sink: PostmarkSink; api1: Api; api2: Api; admin: { auth: string }; tenant: string }> {
    this.begin();
    const [api1, api2] = this.apis;
    const tenant = await this.tenant(settings);
    return { chaos: this.chaos, sink: this.chaos.cluster.sink, api1, api2, admin: { auth: this.chaos.adminKey }, tenant };
  }

  /** One user per name in `tenant`, each with `password`, created one after the other through the first replica. */
  async users<const N extends string>(tenant: string, password: string, names: readonly N[]): Promise<Record<N, { id: string; email: string }>> {
    const users = {} as Record<N, { id: string; email: string }>;
    for (const n of names) users[n] = await this.chaos.user(this.apis[0], tenant, password);
    return users;
  }

  async tenant(settings: Record<string, unknown> = {}): Promise<string> {
    const id = await this.chaos.tenant(this.apis[0], settings);
    this.tenants.push(id);
    return id;
  }

  invariants(): Promise<InvariantResult[]> {
    this.results ??= checkInvariants(this.chaos.db, this.chaos.temporal, this.chaos.cluster.sink, { tenants: this.tenants, observer: this.observer! }).then((r) => {
      this.chaos.summary.invariants(this.name, r);
      return r;
    });
    return this.results;
  }
}

/**
 * No process restarted between the two snapshots: the supervisor restarted none, and every one
 * still runs under its pid, except `stopped`, which the scenario itself stopped and started again.
 */
export function expectNoRestartExcept(stopped: string, before: Processes, after: Processes): void {
  expect(after.restarts).toEqual(before.restarts);
  const { [stopped]: _before, ...pidsBefore } = before.pids;
  const { [stopped]: _after, ...pidsAfter } = after.pids;
  expect(pidsAfter).toEqual(pidsBefore);
}

/** A describe block for one scenario: its set-up and faults in `run`, its claims, then I1–I6 by name. */
export function scenario(ctx: Ctx, name: string, body: (run: ScenarioRun) => void): void {
  describe(name, () => {
    const run = new ScenarioRun(ctx, name);
    body(run);
    for (const id of Object.keys(INVARIANTS) as InvariantId[]) {
      test(`${id} ${INVARIANTS[id]}`, async () => {
        const r = (await run.invariants()).find((x) => x.id === id)!;
        expect({ checked: r.checked, violations: r.violations }).toEqual({ checked: r.checked, violations: [] });
      });
    }
  });
}
