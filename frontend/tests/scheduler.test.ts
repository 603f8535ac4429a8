import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { CHECK_DELAY_MS, MAX_DEFER_MS, createCoalescer } from "../src/scheduler";

describe("createCoalescer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs once for a burst", () => {
    const run = vi.fn();
    const coalescer = createCoalescer(run);
    for (let index = 0; index < 5; index += 1) {
      coalescer.schedule();
      vi.advanceTimersByTime(10);
    }
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(CHECK_DELAY_MS);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("cannot be postponed forever by a steady stream", () => {
    const run = vi.fn();
    const coalescer = createCoalescer(run);
    for (let elapsed = 0; elapsed < MAX_DEFER_MS * 3; elapsed += 50) {
      coalescer.schedule();
      vi.advanceTimersByTime(50);
    }
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it("can be cancelled", () => {
    const run = vi.fn();
    const coalescer = createCoalescer(run);
    coalescer.schedule();
    coalescer.cancel();
    vi.advanceTimersByTime(CHECK_DELAY_MS * 10);
    expect(run).not.toHaveBeenCalled();
  });

  it("accepts a longer delay for one check", () => {
    const run = vi.fn();
    const coalescer = createCoalescer(run);
    coalescer.schedule(1500);
    vi.advanceTimersByTime(1499);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
