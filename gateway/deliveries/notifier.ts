/**
 * Wakes long-polling mailbox readers when a delivery lands in a recipient's mailbox. In-process
 * only: a reader served by another gateway process finds the delivery when its wait times out
 * and it looks again, so the wait bounds the delay either way.
 */
export class MailboxNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  /**
   * A wait that resolves true on the next `notify(recipient)`, false after `timeoutMs` or on
   * `cancel()`; create it BEFORE looking at the mailbox so nothing slips in between.
   */
  wait(recipient: string, timeoutMs: number): { readonly woken: Promise<boolean>; cancel(): void } {
    let cancel = (): void => undefined;
    const woken = new Promise<boolean>((resolve) => {
      let set = this.waiters.get(recipient);
      if (set === undefined) this.waiters.set(recipient, (set = new Set()));
      const waiters = set;
      const done = (woken: boolean): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiters.get(recipient) === waiters) this.waiters.delete(recipient);
        resolve(woken);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      waiters.add(wake);
      cancel = () => done(false);
    });
    return { woken, cancel: () => cancel() };
  }

  /** Wakes every reader waiting on `recipient`'s mailbox. */
  notify(recipient: string): void {
    for (const wake of [...(this.waiters.get(recipient) ?? [])]) wake();
  }

  /** How many readers wait now (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }
}
