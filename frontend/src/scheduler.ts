/** A burst of history events (or a script calling replaceState in a loop) should cost Python one rerun. */
export const CHECK_DELAY_MS = 100;

/** Bounds how long a steady stream of events can postpone the check. */
export const MAX_DEFER_MS = 1000;

export interface Coalescer {
  /** (Re)starts the single timer; no-op extension once the check was deferred for MAX_DEFER_MS. */
  schedule(delayMs?: number): void;
  cancel(): void;
}

export function createCoalescer(run: () => void): Coalescer {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstRequestAt = 0;

  return {
    schedule(delayMs = CHECK_DELAY_MS) {
      const now = Date.now();
      if (timer !== undefined) {
        if (now - firstRequestAt >= MAX_DEFER_MS) {
          return;
        }
        clearTimeout(timer);
      } else {
        firstRequestAt = now;
      }
      timer = setTimeout(() => {
        timer = undefined;
        run();
      }, delayMs);
    },
    cancel() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
    },
  };
}
