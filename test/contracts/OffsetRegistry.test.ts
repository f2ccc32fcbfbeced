import { expect } from "chai";
import { network } from "hardhat";
import { IOffsetRegistry__factory } from "../../libs/ledger/src/generated/index.js";
import { interfaceId } from "./interface-id.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const NO_RANGE = ethers.MaxUint256;
const LOT = ethers.id("urn:epc:class:lgtin:4012345.012345.LOT-1");
const OTHER_LOT = ethers.id("urn:epc:class:lgtin:4012345.012345.LOT-2");

interface RetirementInput {
  registry: string;
  serialBlock: string;
  projectId: string;
  vintage: number;
  firstSerial: bigint;
  lastSerial: bigint;
  lotId: string;
  beneficiary: string;
}

function retirement(first: bigint, last: bigint, overrides: Partial<RetirementInput> = {}): RetirementInput {
  return {
    registry: "VERRA",
    serialBlock: "19381-VCS-VCU-1310-VER-CN-13-3005",
    projectId: "VCS-3005",
    vintage: 2022,
    firstSerial: first,
    lastSerial: last,
    lotId: LOT,
    beneficiary: "Example Moulding Co.",
    ...overrides,
  };
}

/** The hand-over delay of DEFAULT_ADMIN_ROLE the fixture deploys with (seconds). */
const ADMIN_DELAY = 2 * 24 * 3600;

/** The service account (`retirer`) holds RETIRER_ROLE from the constructor; the admin is separate. */
async function deployRegistry() {
  const [admin, retirer, outsider] = await ethers.getSigners();
  const registry = await ethers.deployContract("OffsetRegistry", [ADMIN_DELAY, admin.address, retirer.address]);
  const asRetirer = registry.connect(retirer);
  const blockKey = await registry.blockKeyOf("VERRA", "19381-VCS-VCU-1310-VER-CN-13-3005");
  /** Retires with the hint the registry itself computes, as the service does. */
  const retireWithHint = async (input: RetirementInput) => {
    const key = await registry.blockKeyOf(input.registry, input.serialBlock);
    return asRetirer.retire(input, await registry.predecessorOf(key, input.firstSerial));
  };
  return { registry, asRetirer, admin, retirer, outsider, blockKey, retireWithHint };
}

describe("OffsetRegistry", function () {
  it("gives the operator RETIRER_ROLE only and hands the admin role over in two steps", async function () {
    const { registry, admin, retirer, outsider } = await loadFixture(deployRegistry);
    expect(await registry.hasRole(ethers.id("RETIRER_ROLE"), retirer.address)).to.equal(true);
    expect(await registry.hasRole(ethers.ZeroHash, retirer.address)).to.equal(false);
    expect(await registry.defaultAdmin()).to.equal(admin.address);
    await registry.beginDefaultAdminTransfer(outsider.address);
    await expect(registry.connect(outsider).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(
      registry,
      "AccessControlEnforcedDefaultAdminDelay",
    );
    await time.increase(ADMIN_DELAY + 1);
    await registry.connect(outsider).acceptDefaultAdminTransfer();
    expect(await registry.defaultAdmin()).to.equal(outsider.address);
  });

  it("deploys without a retirer when given the zero address", async function () {
    const [admin] = await ethers.getSigners();
    const registry = await ethers.deployContract("OffsetRegistry", [ADMIN_DELAY, admin.address, ethers.ZeroAddress]);
    expect(await registry.hasRole(ethers.id("RETIRER_ROLE"), ethers.ZeroAddress)).to.equal(false);
  });

  it("gives the admin DEFAULT_ADMIN_ROLE and advertises its interfaces", async function () {
    const { registry, admin } = await loadFixture(deployRegistry);
    expect(await registry.hasRole(ethers.ZeroHash, admin.address)).to.equal(true);
    expect(await registry.RETIRER_ROLE()).to.equal(ethers.id("RETIRER_ROLE"));
    expect(await registry.NO_RANGE()).to.equal(NO_RANGE);
    expect(await registry.KG_PER_CREDIT()).to.equal(1000n);
    expect(await registry.SERIAL_LIMIT()).to.equal(ethers.MaxUint256 / 1000n);
    expect(await registry.supportsInterface("0x01ffc9a7")).to.equal(true);
    expect(await registry.supportsInterface("0x7965db0b")).to.equal(true);
    expect(await registry.supportsInterface(interfaceId(IOffsetRegistry__factory.createInterface()))).to.equal(true);
    expect(await registry.supportsInterface("0xdeadbeef")).to.equal(false);
  });

  it("derives the block key from registry and serial block", async function () {
    const { registry, blockKey } = await loadFixture(deployRegistry);
    const coder = ethers.AbiCoder.defaultAbiCoder();
    expect(blockKey).to.equal(
      ethers.keccak256(coder.encode(["string", "string"], ["VERRA", "19381-VCS-VCU-1310-VER-CN-13-3005"])),
    );
    expect(await registry.blockKeyOf("GOLD_STANDARD", "GS1-1-KE-GS11603-16-2025")).to.not.equal(blockKey);
  });

  it("retires a range for a lot and emits everything a verifier needs to replay it", async function () {
    const { registry, asRetirer, retirer, blockKey } = await loadFixture(deployRegistry);
    const input = retirement(941412555n, 941412556n);
    expect(await registry.firstRangeOf(blockKey)).to.equal(NO_RANGE);
    const tx = asRetirer.retire(input, NO_RANGE);
    await expect(tx)
      .to.emit(registry, "CreditsRetired")
      .withArgs(1, LOT, blockKey, Object.values(input), 2000, retirer.address);
    expect(await registry.retiredKgOf(LOT)).to.equal(2000n);
    expect(await registry.retirementCount()).to.equal(1n);
    expect(await registry.firstRangeOf(blockKey)).to.equal(941412555n);
    const [exists, range] = await registry.rangeAt(blockKey, 941412555n);
    expect(exists).to.equal(true);
    expect(range.lastSerial).to.equal(941412556n);
    expect(range.next).to.equal(NO_RANGE);
    const [missing] = await registry.rangeAt(blockKey, 941412556n);
    expect(missing).to.equal(false);
    expect(await asRetirer.retire.staticCall(retirement(1n, 1n), NO_RANGE)).to.equal(2n);
  });

  it("adds up kilograms per lot, one tonne per serial", async function () {
    const { registry, retireWithHint } = await loadFixture(deployRegistry);
    await retireWithHint(retirement(100n, 109n));
    await retireWithHint(retirement(200n, 200n));
    await retireWithHint(retirement(300n, 304n, { lotId: OTHER_LOT }));
    expect(await registry.retiredKgOf(LOT)).to.equal(11_000n);
    expect(await registry.retiredKgOf(OTHER_LOT)).to.equal(5_000n);
    expect(await registry.retiredKgOf(ethers.id("unknown"))).to.equal(0n);
    expect(await registry.retirementCount()).to.equal(3n);
  });

  it("keeps ranges sorted whatever order they arrive in", async function () {
    const { registry, blockKey, retireWithHint } = await loadFixture(deployRegistry);
    for (const [first, last] of [
      [50n, 59n],
      [10n, 19n],
      [90n, 99n],
      [30n, 39n],
      [0n, 0n],
    ]) {
      await retireWithHint(retirement(first, last));
    }
    const firsts: bigint[] = [];
    for (let cur = await registry.firstRangeOf(blockKey); cur !== NO_RANGE;) {
      firsts.push(cur);
      const [, range] = await registry.rangeAt(blockKey, cur);
      cur = range.next;
    }
    expect(firsts).to.deep.equal([0n, 10n, 30n, 50n, 90n]);
    expect(await registry.predecessorOf(blockKey, 0n)).to.equal(NO_RANGE);
    expect(await registry.predecessorOf(blockKey, 20n)).to.equal(10n);
    expect(await registry.predecessorOf(blockKey, 1000n)).to.equal(90n);
  });

  it("answers whether a serial was retired, at the edges of ranges too", async function () {
    const { registry, blockKey, retireWithHint } = await loadFixture(deployRegistry);
    await retireWithHint(retirement(10n, 19n));
    await retireWithHint(retirement(30n, 30n));
    const expected: Record<string, boolean> = {
      9: false,
      10: true,
      19: true,
      20: false,
      29: false,
      30: true,
      31: false,
    };
    for (const [serial, retired] of Object.entries(expected)) {
      expect(await registry.isRetired(blockKey, BigInt(serial))).to.equal(retired, `serial ${serial}`);
    }
    expect(await registry.isRetired(ethers.id("empty block"), 10n)).to.equal(false);
  });

  describe("overlaps are rejected in every shape", function () {
    const cases: Array<[string, bigint, bigint, bigint, bigint]> = [
      ["the same range", 100n, 199n, 100n, 199n],
      ["a range inside", 120n, 130n, 100n, 199n],
      ["a range around", 50n, 250n, 100n, 199n],
      ["the start", 50n, 100n, 100n, 199n],
      ["the end", 199n, 300n, 100n, 199n],
    ];
    for (const [name, first, last, existingFirst, existingLast] of cases) {
      it(`rejects ${name} with the hint the registry gives`, async function () {
        const { registry, asRetirer, blockKey } = await loadFixture(deployRegistry);
        await asRetirer.retire(retirement(100n, 199n), NO_RANGE);
        const hint = await registry.predecessorOf(blockKey, first);
        await expect(asRetirer.retire(retirement(first, last), hint))
          .to.be.revertedWithCustomError(registry, "OffsetRegistryRangeOverlaps")
          .withArgs(blockKey, first, last, existingFirst, existingLast);
      });
    }

    it("rejects an overlap whatever hint is given", async function () {
      const { registry, asRetirer, blockKey, retireWithHint } = await loadFixture(deployRegistry);
      await retireWithHint(retirement(100n, 199n));
      await retireWithHint(retirement(300n, 399n));
      const outcomes: Array<[bigint, string]> = [
        [NO_RANGE, "OffsetRegistryRangeOverlaps"],
        [100n, "OffsetRegistryRangeOverlaps"],
        [300n, "OffsetRegistryInvalidHint"],
        [150n, "OffsetRegistryInvalidHint"],
      ];
      for (const [hint, error] of outcomes) {
        await expect(asRetirer.retire(retirement(150n, 160n), hint)).to.be.revertedWithCustomError(registry, error);
      }
      expect(await registry.isRetired(blockKey, 200n)).to.equal(false);
      expect(await registry.retirementCount()).to.equal(2n);
    });

    it("allows the same serials in another block", async function () {
      const { registry, asRetirer } = await loadFixture(deployRegistry);
      await asRetirer.retire(retirement(100n, 199n), NO_RANGE);
      await asRetirer.retire(retirement(100n, 199n, { serialBlock: "19381-VCS-VCU-1310-VER-CN-13-3006" }), NO_RANGE);
      expect(await registry.retiredKgOf(LOT)).to.equal(200_000n);
    });
  });

  describe("hints", function () {
    async function threeRanges() {
      const fixture = await deployRegistry();
      await fixture.retireWithHint(retirement(100n, 199n));
      await fixture.retireWithHint(retirement(300n, 399n));
      await fixture.retireWithHint(retirement(500n, 599n));
      return fixture;
    }

    it("rejects a hint that is not a retired range", async function () {
      const { registry, asRetirer, blockKey } = await loadFixture(threeRanges);
      await expect(asRetirer.retire(retirement(450n, 460n), 301n))
        .to.be.revertedWithCustomError(registry, "OffsetRegistryInvalidHint")
        .withArgs(blockKey, 301n);
    });

    it("rejects a hint after the new range", async function () {
      const { registry, asRetirer, blockKey } = await loadFixture(threeRanges);
      await expect(asRetirer.retire(retirement(250n, 260n), 500n))
        .to.be.revertedWithCustomError(registry, "OffsetRegistryInvalidHint")
        .withArgs(blockKey, 500n);
    });

    it("rejects a hint that skips a range in between", async function () {
      const { registry, asRetirer, blockKey } = await loadFixture(threeRanges);
      await expect(asRetirer.retire(retirement(450n, 460n), 100n))
        .to.be.revertedWithCustomError(registry, "OffsetRegistryInvalidHint")
        .withArgs(blockKey, 100n);
    });

    it("rejects 'goes first' when a range comes before", async function () {
      const { registry, asRetirer, blockKey } = await loadFixture(threeRanges);
      await expect(asRetirer.retire(retirement(250n, 260n), NO_RANGE))
        .to.be.revertedWithCustomError(registry, "OffsetRegistryInvalidHint")
        .withArgs(blockKey, NO_RANGE);
    });

    it("inserts between neighbours, before the first and after the last", async function () {
      const { registry, asRetirer, blockKey } = await loadFixture(threeRanges);
      await asRetirer.retire(retirement(200n, 299n), 100n);
      await asRetirer.retire(retirement(0n, 99n), NO_RANGE);
      await asRetirer.retire(retirement(600n, 600n), 500n);
      expect(await registry.firstRangeOf(blockKey)).to.equal(0n);
      expect((await registry.rangeAt(blockKey, 100n))[1].next).to.equal(200n);
      expect((await registry.rangeAt(blockKey, 200n))[1].next).to.equal(300n);
      expect((await registry.rangeAt(blockKey, 600n))[1].next).to.equal(NO_RANGE);
    });
  });

  it("matches a model of retired serials over a random sequence", async function () {
    const { registry, asRetirer, blockKey } = await loadFixture(deployRegistry);
    const taken: Array<[bigint, bigint]> = [];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 40; i++) {
      const first = BigInt(rand(1000));
      const last = first + BigInt(rand(40));
      const overlaps = taken.some(([a, b]) => a <= last && first <= b);
      const hint = await registry.predecessorOf(blockKey, first);
      const tx = asRetirer.retire(retirement(first, last), hint);
      if (overlaps) {
        await expect(tx).to.be.revertedWithCustomError(registry, "OffsetRegistryRangeOverlaps");
      } else {
        await tx;
        taken.push([first, last]);
      }
    }
    expect(await registry.retirementCount()).to.equal(BigInt(taken.length));
    for (let serial = 0n; serial < 1040n; serial += 7n) {
      const expected = taken.some(([a, b]) => a <= serial && serial <= b);
      expect(await registry.isRetired(blockKey, serial)).to.equal(expected);
    }
  });

  describe("input checks", function () {
    it("rejects an empty or unbounded range", async function () {
      const { registry, asRetirer } = await loadFixture(deployRegistry);
      await expect(asRetirer.retire(retirement(10n, 9n), NO_RANGE))
        .to.be.revertedWithCustomError(registry, "OffsetRegistryEmptyRange")
        .withArgs(10n, 9n);
      const limit = await registry.SERIAL_LIMIT();
      await expect(asRetirer.retire(retirement(1n, limit), NO_RANGE))
        .to.be.revertedWithCustomError(registry, "OffsetRegistryEmptyRange")
        .withArgs(1n, limit);
      await asRetirer.retire(retirement(limit - 1n, limit - 1n), NO_RANGE);
    });

    for (const field of ["registry", "serialBlock", "projectId"] as const) {
      it(`rejects an empty ${field}`, async function () {
        const { registry, asRetirer } = await loadFixture(deployRegistry);
        await expect(asRetirer.retire(retirement(1n, 1n, { [field]: "" }), NO_RANGE)).to.be.revertedWithCustomError(
          registry,
          "OffsetRegistryIncompleteRetirement",
        );
      });
    }

    it("rejects a zero vintage", async function () {
      const { registry, asRetirer } = await loadFixture(deployRegistry);
      await expect(asRetirer.retire(retirement(1n, 1n, { vintage: 0 }), NO_RANGE)).to.be.revertedWithCustomError(
        registry,
        "OffsetRegistryIncompleteRetirement",
      );
    });

    it("rejects a retirement bound to no lot", async function () {
      const { registry, asRetirer } = await loadFixture(deployRegistry);
      await expect(
        asRetirer.retire(retirement(1n, 1n, { lotId: ethers.ZeroHash }), NO_RANGE),
      ).to.be.revertedWithCustomError(registry, "OffsetRegistryMissingLot");
    });

    it("lets only retirers retire", async function () {
      const { registry, outsider } = await loadFixture(deployRegistry);
      await expect(registry.connect(outsider).retire(retirement(1n, 1n), NO_RANGE))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ethers.id("RETIRER_ROLE"));
    });
  });
});
