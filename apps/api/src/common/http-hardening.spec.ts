import { describe, expect, it } from "@jest/globals";
import type { Request } from "express";
import { HostPolicy } from "./http-hardening.js";

const requestWith = (host: string | undefined, protocol = "http") =>
  ({ protocol, get: (name: string) => (name.toLowerCase() === "host" ? host : undefined) }) as unknown as Request;

describe("the base URL printed into labels and bundles", () => {
  it("is PUBLIC_BASE_URL whatever the request says", () => {
    const policy = new HostPolicy({
      host: "127.0.0.1",
      tls: undefined,
      public: { baseUrl: "https://trace.example.com", rpcUrl: undefined },
    });
    expect(policy.baseUrlOf(requestWith("evil.example"))).toBe("https://trace.example.com");
  });

  it("without it, is the request's host only when that host is this machine", () => {
    const policy = new HostPolicy({
      host: "127.0.0.1",
      tls: undefined,
      public: { baseUrl: undefined, rpcUrl: undefined },
    });
    expect(policy.baseUrlOf(requestWith("127.0.0.1:3000"))).toBe("http://127.0.0.1:3000");
    expect(policy.baseUrlOf(requestWith("localhost:3000", "https"))).toBe("https://localhost:3000");
    expect(policy.baseUrlOf(requestWith("[::1]:3000"))).toBe("http://[::1]:3000");
    for (const host of ["evil.example", "evil.example:3000", "127.0.0.1.evil.example", "a b", "", undefined]) {
      expect(() => policy.baseUrlOf(requestWith(host))).toThrow(
        expect.objectContaining({ code: "HTTP.HOST_NOT_ALLOWED" }),
      );
    }
  });
});
