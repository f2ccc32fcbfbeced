import { beforeAll, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { Logger } from "@nestjs/common";
import { ROLES } from "#ledger";
import { FakeRoleRegistry, inMemoryJobs, unreachable } from "../../../../test/support/fake-chain.js";
import { InMemoryRoles } from "../../../../test/support/in-memory/participant-roles.js";
import { RoleSyncService } from "./role-sync.service.js";

const ALICE = "0x1111111111111111111111111111111111111111";
const BOB = "0x2222222222222222222222222222222222222222";

describe("RoleSyncService", () => {
  let roles: InMemoryRoles;
  let chain: FakeRoleRegistry;
  let service: RoleSyncService;

  beforeAll(() => {
    Logger.overrideLogger(false); // failures are logged by design; the assertions read the rows instead
  });

  beforeEach(() => {
    roles = new InMemoryRoles();
    chain = new FakeRoleRegistry();
    service = new RoleSyncService(chain, roles, inMemoryJobs(chain.transactions).runner);
  });

  it("grants a pending role on the ledger and records the grant with its transaction", async () => {
    roles.add("p1", ALICE, "supplier", "pending");
    await service.sync({ recheckGranted: false });
    expect(chain.held.has(`${ROLES.supplier} ${ALICE}`)).toBe(true);
    const row = roles.row("p1", "supplier");
    expect(row).toMatchObject({ chainStatus: "granted", chainError: null });
    expect(row?.chainTxHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(roles.history).toEqual([
      { participantId: "p1", role: "supplier", action: "granted", txHash: row?.chainTxHash },
    ]);
  });

  it("revokes on the ledger what the administrator revoked", async () => {
    chain.held.add(`${ROLES.recycler} ${BOB}`);
    roles.add("p2", BOB, "recycler", "revoking");
    await service.sync({ recheckGranted: false });
    expect(chain.held.has(`${ROLES.recycler} ${BOB}`)).toBe(false);
    expect(roles.row("p2", "recycler")?.chainStatus).toBe("revoked");
    expect(roles.history.map((h) => h.action)).toEqual(["revoked"]);
  });

  it("sends nothing when the ledger already agrees, and keeps no history entry for it", async () => {
    chain.held.add(`${ROLES.supplier} ${ALICE}`);
    roles.add("p1", ALICE, "supplier", "pending");
    await service.sync({ recheckGranted: false });
    expect(chain.sent).toEqual([]);
    expect(roles.row("p1", "supplier")).toMatchObject({ chainStatus: "granted", chainTxHash: null });
    expect(roles.history).toEqual([]);
  });

  it("marks a grant the chain did not take as failed, with the CHAIN code, and grants it on a later pass", async () => {
    roles.add("p1", ALICE, "supplier", "pending");
    chain.failWith = unreachable;
    await service.sync({ recheckGranted: false });
    expect(roles.row("p1", "supplier")).toMatchObject({ chainStatus: "failed" });
    expect(roles.row("p1", "supplier")?.chainError).toMatch(/^CHAIN\.UNAVAILABLE: /);
    chain.failWith = undefined;
    await service.sync({ recheckGranted: false });
    expect(roles.row("p1", "supplier")).toMatchObject({ chainStatus: "granted", chainError: null });
  });

  it("keeps a revocation the chain did not take as revoking, so it is retried (never reported as done)", async () => {
    chain.held.add(`${ROLES.recycler} ${BOB}`);
    roles.add("p2", BOB, "recycler", "revoking");
    chain.failWith = unreachable;
    await service.sync({ recheckGranted: false });
    expect(roles.row("p2", "recycler")).toMatchObject({ chainStatus: "revoking" });
    expect(roles.row("p2", "recycler")?.chainError).toMatch(/^CHAIN\.UNAVAILABLE: /);
    expect(chain.held.has(`${ROLES.recycler} ${BOB}`)).toBe(true);
  });

  it("re-grants at start a role a reset chain lost, but leaves settled roles alone on the periodic pass", async () => {
    roles.add("p1", ALICE, "supplier", "granted");
    await service.sync({ recheckGranted: false });
    expect(chain.sent).toEqual([]);
    await service.sync({ recheckGranted: true });
    expect(chain.sent).toEqual([{ change: "grant", role: ROLES.supplier, account: ALICE }]);
    expect(roles.row("p1", "supplier")?.chainStatus).toBe("granted");
  });

  it("a revocation made while the grant is in flight wins: the role ends revoked on the ledger and on the row", async () => {
    roles.add("p1", ALICE, "supplier", "pending");
    const send = chain.sendRoleChange.bind(chain);
    let revokedMeanwhile = false;
    jest.spyOn(chain, "sendRoleChange").mockImplementation(async (change, role, account, record) => {
      const sent = await send(change, role, account, record);
      if (!revokedMeanwhile) {
        // The administrator revokes the role while its grant is being mined (as ParticipantsService does).
        revokedMeanwhile = true;
        await roles.setRoleStatus("p1", "supplier", "revoking", null, null);
      }
      return sent;
    });
    await service.sync({ recheckGranted: false });
    // The grant was mined, but the role no longer wants it: not written over the revocation, and sent anew.
    expect(roles.row("p1", "supplier")?.chainStatus).toBe("revoking");
    expect(roles.history).toEqual([]);
    await service.sync({ recheckGranted: false });
    expect(chain.sent.map((s) => s.change)).toEqual(["grant", "revoke"]);
    expect(chain.held.has(`${ROLES.supplier} ${ALICE}`)).toBe(false);
    expect(roles.row("p1", "supplier")).toMatchObject({ chainStatus: "revoked", chainError: null });
    expect(roles.history.map((h) => h.action)).toEqual(["revoked"]);
  });

  it("syncs only the participant asked for", async () => {
    roles.add("p1", ALICE, "supplier", "pending");
    roles.add("p2", BOB, "recycler", "pending");
    await service.sync({ recheckGranted: false, participantId: "p2" });
    expect(chain.sent.map((s) => s.account)).toEqual([BOB]);
    expect(roles.row("p1", "supplier")?.chainStatus).toBe("pending");
  });

  it("leaves a role the ledger does not know by name untouched", async () => {
    roles.add("p1", ALICE, "auditor", "pending");
    await service.sync({ recheckGranted: false });
    expect(chain.sent).toEqual([]);
    expect(roles.row("p1", "auditor")?.chainStatus).toBe("pending");
  });
});
