import { describe, expect, it } from "@jest/globals";
import { isPublicAddress, OutboundPolicy } from "./outbound.js";

describe("outbound calls", () => {
  it("tells public addresses from loopback, private, link-local, metadata and reserved ones", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "203.0.114.1"]) {
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
    }
    for (const address of [
      "127.0.0.1",
      "127.8.9.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "not-an-ip",
    ]) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
  });

  it("takes https to public hosts, refuses http, literal private addresses and credentials", () => {
    const policy = new OutboundPolicy([]);
    expect(policy.check("https://pact.example.com/3/events").hostname).toBe("pact.example.com");
    for (const target of [
      "http://pact.example.com",
      "https://127.0.0.1:8443",
      "https://[::1]/",
      "https://169.254.169.254/latest/meta-data",
      "https://user:pass@pact.example.com",
      "ftp://pact.example.com",
      "not a url",
    ]) {
      expect(() => policy.check(target)).toThrow(expect.objectContaining({ code: "OUTBOUND.NOT_ALLOWED" }));
    }
  });

  it("lets an allowed origin through, over http and on loopback, and nothing else on that host", async () => {
    const policy = new OutboundPolicy(["http://127.0.0.1:8004"]);
    expect(policy.check("http://127.0.0.1:8004/auth/token").port).toBe("8004");
    expect(() => policy.check("http://127.0.0.1:8005/")).toThrow(
      expect.objectContaining({ code: "OUTBOUND.NOT_ALLOWED" }),
    );
    await expect(policy.checkResolved("https://localhost:8443")).rejects.toMatchObject({
      code: "OUTBOUND.NOT_ALLOWED",
    });
    await expect(policy.fetch("https://localhost:1/")).rejects.toMatchObject({
      code: expect.stringMatching(/EADDRNOTALLOWED/),
    });
  });
});
