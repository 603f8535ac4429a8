import { describe, expect, it, vi } from "vitest";

import { beginLeaving, forgetShownQueries, justShownQueries, noteShownQuery, SHOWN_WINDOW_MS } from "../src/shownQueries";
import { useFreshPage } from "./harness";

useFreshPage("n=1");

function show(query: string): void {
  window.history.replaceState(null, "", `/?${query}`);
  noteShownQuery();
}

describe("the query strings a page showed as it left (the URL cookie)", () => {
  it("keeps what the page showed in the last seconds, the current one last", () => {
    show("n=1");
    vi.advanceTimersByTime(100);
    show("n=2"); // n=1 was shown until now
    vi.advanceTimersByTime(SHOWN_WINDOW_MS + 1);
    show("n=3");
    expect(justShownQueries()).toEqual(["?n=2", "?n=3"]);
  });

  it("counts a query shown for long until a moment ago (the reload asked for it)", () => {
    show("n=26"); // shown for seconds: the person typed a note meanwhile
    vi.advanceTimersByTime(SHOWN_WINDOW_MS * 2);
    show("n=27"); // the server's write lands just after the reload began, with n=26
    vi.advanceTimersByTime(200);
    beginLeaving();
    expect(justShownQueries()).toEqual(["?n=26", "?n=27"]);
  });

  it("counts from when the page began to leave, however long it takes to go", () => {
    show("n=4");
    vi.advanceTimersByTime(100);
    show("n=5"); // a URL write lands while the reload (which asked for n=4) is on its way
    beginLeaving();
    vi.advanceTimersByTime(SHOWN_WINDOW_MS * 3); // a slow server: the page goes seconds later
    show("n=6");
    expect(justShownQueries()).toEqual(["?n=4", "?n=5", "?n=6"]);
  });

  it("keeps at most four", () => {
    for (const n of [1, 2, 3, 4, 5, 6]) {
      show(`n=${n}`);
    }
    expect(justShownQueries()).toEqual(["?n=3", "?n=4", "?n=5", "?n=6"]);
  });
});

describe("a tab correction", () => {
  it("forgets what the page showed under the wrong guess", () => {
    show("status=active&n=42"); // the state of the tab whose cookie this page wrongly took
    forgetShownQueries();
    show("status=pending&n=5");
    expect(justShownQueries()).toEqual(["?status=pending&n=5"]);
  });
});
