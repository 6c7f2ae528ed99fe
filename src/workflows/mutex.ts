import { condition } from '@temporalio/workflow';

/**
 * Serialises update handlers and the main flow, so completion, cancellation and
 * expiry of one reset never interleave. (Re-checks after waking: several waiters
 * may wake on the same workflow activation.)
 */
export class Mutex {
  private held = false;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.held) await condition(() => !this.held);
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }
}
