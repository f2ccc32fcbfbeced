import { describe, expect, it } from "@jest/globals";
import { memoized } from "./memo.js";

describe("memoized", () => {
  it("computes once per key, remembers undefined too, and forgets the oldest key beyond its capacity", () => {
    const calls: string[] = [];
    const length = memoized((key) => {
      calls.push(key);
      return key === "none" ? undefined : key.length;
    }, 2);
    expect([length("a"), length("a"), length("none"), length("none")]).toEqual([1, 1, undefined, undefined]);
    expect(calls).toEqual(["a", "none"]);
    expect(length("bbb")).toBe(3); // "a" is forgotten
    expect(length("none")).toBeUndefined();
    expect(length("a")).toBe(1);
    expect(calls).toEqual(["a", "none", "bbb", "a"]);
  });

  it("does not remember an error: the next call computes again", () => {
    let calls = 0;
    const failing = memoized(() => {
      calls += 1;
      throw new Error("bad");
    }, 4);
    expect(() => failing("x")).toThrow("bad");
    expect(() => failing("x")).toThrow("bad");
    expect(calls).toBe(2);
  });
});
