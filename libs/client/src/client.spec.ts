import { describe, expect, it } from "@jest/globals";
import { ApiError, CarbonTraceClient } from "./client.js";

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

describe("CarbonTraceClient when something else answers", () => {
  const answering =
    (status: number, body: string, type: string): typeof fetch =>
    () =>
      Promise.resolve(new Response(body, { status, headers: { "content-type": type } }));

  it("keeps the request with the service's refusal, for a wrong base URL to show", async () => {
    const problem = JSON.stringify({ code: "AUTH.UNAUTHENTICATED", detail: "no API key" });
    const client = new CarbonTraceClient({
      baseUrl: "https://trace.example/v0",
      fetch: answering(401, problem, "application/problem+json"),
    });
    const error = await client.capture({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: "AUTH.UNAUTHENTICATED",
      status: 401,
      message: "no API key",
      request: "POST https://trace.example/v0/capture",
    });
  });

  it("names the URL when the answer is not JSON: an error page, or another server", async () => {
    const proxy = new CarbonTraceClient({
      baseUrl: "https://trace.example",
      fetch: answering(502, "<html>Bad Gateway</html>", "text/html"),
    });
    expect(await proxy.me().catch((e: unknown) => e)).toMatchObject({
      code: "HTTP.502",
      request: "GET https://trace.example/participants/me",
    });
    const website = new CarbonTraceClient({
      baseUrl: "https://www.example",
      fetch: answering(200, "<html>Welcome</html>", "text/html"),
    });
    const error = await website.me().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CLIENT.NOT_JSON", details: { url: "https://www.example/participants/me" } });
    expect((error as Error).message).toContain("GET https://www.example/participants/me answered text/html");
  });
});
