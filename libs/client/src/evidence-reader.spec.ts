import { describe, expect, it } from "@jest/globals";
import { EvidenceSourceUnavailable } from "#proof";
import { httpEvidenceReader, kuboEvidenceReader } from "./evidence-reader.js";

const answering =
  (status: number, body = "bytes"): typeof fetch =>
  () =>
    Promise.resolve(new Response(body, { status }));
const unreachable: typeof fetch = () => Promise.reject(new TypeError("fetch failed"));

describe("evidence readers", () => {
  it("return the bytes the source serves, from the template's URL", async () => {
    const urls: string[] = [];
    const reader = httpEvidenceReader("https://host/evidence/{cid}", (url) => {
      urls.push(url instanceof Request ? url.url : url.toString());
      return Promise.resolve(new Response("ticket"));
    });
    expect(new TextDecoder().decode(await reader.read("bafk/1"))).toBe("ticket");
    expect(urls).toEqual(["https://host/evidence/bafk%2F1"]);
  });

  it("say the source is unavailable when it cannot be reached or its gateway fails, so checks are skipped", async () => {
    for (const fetcher of [unreachable, answering(502), answering(503), answering(504)]) {
      await expect(httpEvidenceReader("https://h/{cid}", fetcher).read("bafk")).rejects.toBeInstanceOf(
        EvidenceSourceUnavailable,
      );
      await expect(kuboEvidenceReader("http://kubo:5001", fetcher).read("bafk")).rejects.toBeInstanceOf(
        EvidenceSourceUnavailable,
      );
    }
  });

  it("fail plainly when the source answers without the file", async () => {
    const error = await httpEvidenceReader("https://h/{cid}", answering(404))
      .read("bafk")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(EvidenceSourceUnavailable);
    expect((error as Error).message).toBe("the evidence source answered HTTP 404 for bafk");
  });

  it("refuse a template without {cid}", () => {
    expect(() => httpEvidenceReader("https://h/evidence")).toThrow(/\{cid\}/);
  });
});
