import { describe, expect, it } from "@jest/globals";
import { isNoSpace, storeFull } from "./errors.js";

describe("a full evidence store", () => {
  it("is recognised by errno, by message, and through causes", () => {
    expect(isNoSpace(Object.assign(new Error("write failed"), { code: "ENOSPC" }))).toBe(true);
    expect(isNoSpace(Object.assign(new Error("quota"), { code: "EDQUOT" }))).toBe(true);
    expect(isNoSpace(new Error("Error: no space left on device"))).toBe(true);
    expect(isNoSpace(new Error("outer", { cause: Object.assign(new Error("inner"), { code: "ENOSPC" }) }))).toBe(true);
    expect(isNoSpace(new Error("connection refused"))).toBe(false);
    expect(isNoSpace(undefined)).toBe(false);
  });

  it("is a 503 naming the part, with a time to retry", () => {
    const error = storeFull(new Error("ENOSPC"));
    expect(error).toMatchObject({ code: "EVIDENCE.STORE_FULL", kind: "unavailable" });
    expect(error.details).toEqual({ part: "ipfs", retryAfterSeconds: 60 });
  });
});
