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

describe("CarbonTraceClient when the server closes an idle pooled connection", () => {
  /** A fetch whose first call meets a socket the server just closed (as undici reports it), then answers. */
  function closingOnce(): { fetch: typeof fetch; calls: () => number } {
    let calls = 0;
    const closing: typeof fetch = () => {
      calls += 1;
      if (calls === 1) {
        const cause = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
        return Promise.reject(new TypeError("fetch failed", { cause }));
      }
      return Promise.resolve(new Response(JSON.stringify({ id: "p1" }), { status: 200 }));
    };
    return { fetch: closing, calls: () => calls };
  }

  it("sends an idempotent request once more, on a new connection", async () => {
    const server = closingOnce();
    const client = new CarbonTraceClient({ baseUrl: "http://127.0.0.1:3000", fetch: server.fetch });
    await expect(client.me()).resolves.toEqual({ id: "p1" });
    expect(server.calls()).toBe(2);
  });

  it("never sends a POST twice: it says the request may not have arrived", async () => {
    const server = closingOnce();
    const client = new CarbonTraceClient({ baseUrl: "http://127.0.0.1:3000", fetch: server.fetch });
    await expect(client.capture({})).rejects.toMatchObject({ code: "CLIENT.UNREACHABLE" });
    expect(server.calls()).toBe(1);
  });

  it("does not retry what is not a closed socket (a refused connection)", async () => {
    let calls = 0;
    const refused: typeof fetch = () => {
      calls += 1;
      return Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }));
    };
    const client = new CarbonTraceClient({ baseUrl: "http://127.0.0.1:3000", fetch: refused });
    await expect(client.me()).rejects.toMatchObject({ code: "CLIENT.UNREACHABLE" });
    expect(calls).toBe(1);
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
