import { describe, expect, it } from "vitest";

import { ownedParamsDiffer, sameQuery, stripQuestionMark } from "../src/query";

describe("ownedParamsDiffer", () => {
  const owned = ["status", "tag"];

  it("ignores params the app does not own", () => {
    expect(ownedParamsDiffer("status=a&page=1", "status=a&page=2", owned)).toBe(false);
    expect(ownedParamsDiffer("status=a", "status=a&widget=x", owned)).toBe(false);
  });

  it("sees a changed, added or removed owned param", () => {
    expect(ownedParamsDiffer("status=a", "status=b", owned)).toBe(true);
    expect(ownedParamsDiffer("", "status=a", owned)).toBe(true);
    expect(ownedParamsDiffer("status=a", "", owned)).toBe(true);
  });

  it("compares repeated values as an ordered list", () => {
    expect(ownedParamsDiffer("tag=a&tag=b", "tag=a&tag=b", owned)).toBe(false);
    expect(ownedParamsDiffer("tag=a&tag=b", "tag=b&tag=a", owned)).toBe(true);
    expect(ownedParamsDiffer("tag=a&tag=b", "tag=a", owned)).toBe(true);
  });

  it("tells an empty value from an absent param", () => {
    expect(ownedParamsDiffer("status=", "", owned)).toBe(true);
  });

  it("decodes before comparing, so Python's '+' equals the browser's '%20'", () => {
    expect(ownedParamsDiffer("status=in+review", "status=in%20review", owned)).toBe(false);
  });

  it("is insensitive to the order of different params", () => {
    expect(ownedParamsDiffer("status=a&tag=x", "tag=x&status=a", owned)).toBe(false);
  });

  it("never differs when nothing is owned", () => {
    expect(ownedParamsDiffer("status=a", "status=b", [])).toBe(false);
  });
});

describe("sameQuery", () => {
  it("normalizes encoding but keeps every param", () => {
    expect(sameQuery("a=x+y&b=1", "a=x%20y&b=1")).toBe(true);
    expect(sameQuery("a=1", "a=1&b=2")).toBe(false);
  });
});

describe("stripQuestionMark", () => {
  it("turns location.search into the server's form", () => {
    expect(stripQuestionMark("?a=1")).toBe("a=1");
    expect(stripQuestionMark("a=1")).toBe("a=1");
    expect(stripQuestionMark("")).toBe("");
  });
});
