import { createServer, type Server } from "node:net";
import { describe, expect, it } from "@jest/globals";
import { findFreePort, freePortsAvoiding, isPortCollision, startOnPort } from "./processes.js";

describe("freePortsAvoiding", () => {
  it("gives distinct free ports, never one already taken (the service's own PORT, still unbound)", async () => {
    const taken = [await findFreePort(), await findFreePort()];
    const ports = await freePortsAvoiding(3, taken);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) expect(taken).not.toContain(port);
  });
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe("startOnPort", () => {
  it("starts again on another free port when a picked one is bound by someone else before the engine binds it", async () => {
    const squatter = await listen(0);
    const stolen = (squatter.address() as { port: number }).port;
    const tried: number[] = [];
    // The first attempt is made to land on the squatted port, as when a parallel worker wins the race.
    const engine = await startOnPort(0, [], (port) => {
      tried.push(port);
      return listen(tried.length === 1 ? stolen : port);
    });
    try {
      expect(tried).toHaveLength(2);
      expect(tried[1]).not.toBe(stolen);
      expect((engine.address() as { port: number }).port).toBe(tried[1]);
    } finally {
      await close(engine);
      await close(squatter);
    }
  });

  it("never moves a configured port, and gives up on other failures at once", async () => {
    const squatter = await listen(0);
    const port = (squatter.address() as { port: number }).port;
    let attempts = 0;
    try {
      await expect(startOnPort(port, [], (p) => (attempts++, listen(p)))).rejects.toMatchObject({ code: "EADDRINUSE" });
      expect(attempts).toBe(1);
      await expect(
        startOnPort(0, [], () => (attempts++, Promise.reject(new Error("initdb: bad locale")))),
      ).rejects.toThrow("bad locale");
      expect(attempts).toBe(2);
    } finally {
      await close(squatter);
    }
  });

  it("recognises a collision as PostgreSQL and anvil report it, also wrapped in a cause", () => {
    const anvil = new Error("Embedded anvil did not start: Error | : |  Address already in use (os error 98)");
    const postgres = new Error(
      'postgres exited with code 1 while starting: could not bind IPv4 address "127.0.0.1": Address already in use',
    );
    expect(isPortCollision(anvil)).toBe(true);
    expect(isPortCollision(new Error("did not start", { cause: postgres }))).toBe(true);
    expect(isPortCollision(new Error("anvil did not answer within 30 s"))).toBe(false);
  });
});
