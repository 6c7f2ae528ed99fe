import { condition } from '@temporalio/workflow';

/**
 * Serialises update and signal handlers and the main flow, so completion,
 * cancellation, delivery reports and expiry of one reset never interleave.
 * First come, first served: waiters take the lock in the order they asked for it
 * (an admin's cancellation that arrived before a user's completion goes first).
 */
export class Mutex {
  private held = false;
  private readonly waiting: number[] = [];
  private tickets = 0;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held || this.waiting.length > 0) {
      const ticket = this.tickets++;
      this.waiting.push(ticket);
      await condition(() => !this.held && this.waiting[0] === ticket);
      this.waiting.shift();
    }
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }
}
