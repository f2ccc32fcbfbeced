import { describe, expect, it } from "@jest/globals";
import { CarbonTraceClient } from "./client.js";

describe("CarbonTraceClient when nothing answers", () => {
  it("names the URL it tried and why, and how to point it elsewhere", async () => {
    const refused: typeof fetch = () =>
      Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:3000") }));
    const client = new CarbonTraceClient({ baseUrl: "http://127.0.0.1:3000/", apiKey: "ctk_x", fetch: refused });
    const error = await client.json("GET", "/participants/me").catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "CLIENT.UNREACHABLE",
      kind: "unavailable",
      details: { url: "http://127.0.0.1:3000/participants/me" },
    });
    expect((error as Error).message).toContain("No answer from http://127.0.0.1:3000/participants/me");
    expect((error as Error).message).toContain("ECONNREFUSED");
  });
});
