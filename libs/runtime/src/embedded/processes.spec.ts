import { describe, expect, it } from "@jest/globals";
import { findFreePort, freePortsAvoiding } from "./processes.js";

describe("freePortsAvoiding", () => {
  it("gives distinct free ports, never one already taken (the service's own PORT, still unbound)", async () => {
    const taken = [await findFreePort(), await findFreePort()];
    const ports = await freePortsAvoiding(3, taken);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) expect(taken).not.toContain(port);
  });
});
