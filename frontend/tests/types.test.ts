import { describe, expect, it } from "vitest";

import { readUrlData } from "../src/types";

describe("URL element data", () => {
  it("without owned: the params of expected, each once", () => {
    expect(readUrlData({ expected: "a=1&tag=x&tag=y&b%20c=2", revision: 3 })?.owned).toEqual(["a", "tag", "b c"]);
  });

  it("owned as sent, when sent", () => {
    expect(readUrlData({ expected: "a=1", owned: ["a", "page"], revision: 1 })?.owned).toEqual(["a", "page"]);
  });

  it("an empty expected owns nothing", () => {
    expect(readUrlData({ expected: "", revision: 0 })?.owned).toEqual([]);
  });
});
