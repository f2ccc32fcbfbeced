import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { network } from "hardhat";
import { ITraceLedger__factory } from "../../libs/ledger/src/generated/index.js";
import { interfaceId } from "./interface-id.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const role = (name: string): string => ethers.id(name);
const ZERO = ethers.ZeroHash;
const MANIFEST = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
enum Verdict {
  Verified,
  VerifiedWithQualifications,
  Rejected,
}

/** The hand-over delay of DEFAULT_ADMIN_ROLE the fixture deploys with (seconds). */
const ADMIN_DELAY = 3 * 24 * 3600;

/** The service account (`operator`) holds REGISTRAR_ROLE and ANCHORER_ROLE from the constructor; the admin is separate. */
async function deployLedger() {
  const [admin, operator, certifier, supplier, outsider, multisig] = await ethers.getSigners();
  const ledger = await ethers.deployContract("TraceLedger", [ADMIN_DELAY, admin.address, operator.address]);
  const registrar = ledger.connect(operator);
  await registrar.grantRole(role("CERTIFIER_ROLE"), certifier.address);
  return { ledger, registrar, admin, operator, anchorer: operator, certifier, supplier, outsider, multisig };
}

function eventHash(i: number): string {
  return ethers.sha256(ethers.toUtf8Bytes(`event-${i}`));
}

describe("TraceLedger", function () {
  describe("deployment and roles", function () {
    it("gives the admin DEFAULT_ADMIN_ROLE and registers the four supply-chain roles in order", async function () {
      const { ledger, admin } = await loadFixture(deployLedger);
      expect(await ledger.hasRole(ZERO, admin.address)).to.equal(true);
      expect(await ledger.defaultAdmin()).to.equal(admin.address);
      expect(await ledger.defaultAdminDelay()).to.equal(BigInt(ADMIN_DELAY));
      const names = ["SUPPLIER_ROLE", "RECYCLER_ROLE", "MOULDER_ROLE", "WAREHOUSE_ROLE"];
      expect(await ledger.supplyChainRoles()).to.deep.equal(names.map(role));
      for (const name of names) {
        expect(await ledger.isSupplyChainRole(role(name))).to.equal(true);
        expect(await ledger.getFunction(name)()).to.equal(role(name));
      }
      expect(await ledger.ANCHORER_ROLE()).to.equal(role("ANCHORER_ROLE"));
      expect(await ledger.CERTIFIER_ROLE()).to.equal(role("CERTIFIER_ROLE"));
      expect(await ledger.isSupplyChainRole(role("ANCHORER_ROLE"))).to.equal(false);
    });

    it("advertises ITraceLedger, IAccessControl and ERC-165 only", async function () {
      const { ledger } = await loadFixture(deployLedger);
      expect(await ledger.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await ledger.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await ledger.supportsInterface(interfaceId(ITraceLedger__factory.createInterface()))).to.equal(true);
      expect(await ledger.supportsInterface("0xdeadbeef")).to.equal(false);
    });

    it("refuses to grant a role it does not know", async function () {
      const { ledger, supplier } = await loadFixture(deployLedger);
      await expect(ledger.grantRole(role("PIRATE_ROLE"), supplier.address))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerUnknownRole")
        .withArgs(role("PIRATE_ROLE"));
    });

    it("lets only registrars grant participant roles", async function () {
      const { ledger, admin, outsider, supplier } = await loadFixture(deployLedger);
      for (const caller of [outsider, admin]) {
        await expect(ledger.connect(caller).grantRole(role("SUPPLIER_ROLE"), supplier.address))
          .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, role("REGISTRAR_ROLE"));
      }
    });

    it("registers a new supply-chain role that registrars can then grant", async function () {
      const { ledger, registrar, supplier } = await loadFixture(deployLedger);
      await expect(ledger.registerSupplyChainRole("RETAILER_ROLE"))
        .to.emit(ledger, "SupplyChainRoleRegistered")
        .withArgs(role("RETAILER_ROLE"), "RETAILER_ROLE");
      expect(await ledger.isSupplyChainRole(role("RETAILER_ROLE"))).to.equal(true);
      expect((await ledger.supplyChainRoles()).length).to.equal(5);
      expect(await ledger.getRoleAdmin(role("RETAILER_ROLE"))).to.equal(role("REGISTRAR_ROLE"));
      await registrar.grantRole(role("RETAILER_ROLE"), supplier.address);
      expect(await ledger.hasRole(role("RETAILER_ROLE"), supplier.address)).to.equal(true);
    });

    it("returns the new role id from registerSupplyChainRole", async function () {
      const { ledger } = await loadFixture(deployLedger);
      expect(await ledger.registerSupplyChainRole.staticCall("RETAILER_ROLE")).to.equal(role("RETAILER_ROLE"));
    });

    it("rejects an empty, duplicate or operational role name", async function () {
      const { ledger } = await loadFixture(deployLedger);
      for (const name of ["", "SUPPLIER_ROLE", "ANCHORER_ROLE", "CERTIFIER_ROLE", "REGISTRAR_ROLE"]) {
        await expect(ledger.registerSupplyChainRole(name))
          .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidRoleName")
          .withArgs(name);
      }
    });

    it("lets only the admin register roles", async function () {
      const { ledger, outsider } = await loadFixture(deployLedger);
      await expect(ledger.connect(outsider).registerSupplyChainRole("RETAILER_ROLE"))
        .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ZERO);
    });
  });

  describe("role history", function () {
    it("records a term per grant and closes it on revoke or renounce", async function () {
      const { ledger, registrar, supplier } = await loadFixture(deployLedger);
      const SUPPLIER = role("SUPPLIER_ROLE");
      await registrar.grantRole(SUPPLIER, supplier.address);
      const granted = BigInt(await time.latest());
      await registrar.grantRole(SUPPLIER, supplier.address); // already held: no new term
      await time.increase(100);
      await registrar.revokeRole(SUPPLIER, supplier.address);
      const revoked = BigInt(await time.latest());
      await time.increase(100);
      await registrar.grantRole(SUPPLIER, supplier.address);
      const regranted = BigInt(await time.latest());
      await time.increase(100);
      await ledger.connect(supplier).renounceRole(SUPPLIER, supplier.address);
      const renounced = BigInt(await time.latest());

      const terms = await ledger.roleTermsOf(SUPPLIER, supplier.address);
      expect(terms.map((t: { grantedAt: bigint; revokedAt: bigint }) => [t.grantedAt, t.revokedAt])).to.deep.equal([
        [granted, revoked],
        [regranted, renounced],
      ]);
    });

    it("answers whether an account held a role at a given time", async function () {
      const { ledger, registrar, supplier } = await loadFixture(deployLedger);
      const SUPPLIER = role("SUPPLIER_ROLE");
      await registrar.grantRole(SUPPLIER, supplier.address);
      const granted = BigInt(await time.latest());
      await time.increase(100);
      await registrar.revokeRole(SUPPLIER, supplier.address);
      const revoked = BigInt(await time.latest());
      await time.increase(100);
      await registrar.grantRole(SUPPLIER, supplier.address);
      const regranted = BigInt(await time.latest());

      const at = (t: bigint): Promise<boolean> => ledger.hadRoleAt(SUPPLIER, supplier.address, t);
      expect(await at(granted - 1n)).to.equal(false);
      expect(await at(granted)).to.equal(true);
      expect(await at(revoked - 1n)).to.equal(true);
      expect(await at(revoked)).to.equal(false);
      expect(await at(regranted - 1n)).to.equal(false);
      expect(await at(regranted)).to.equal(true);
      expect(await at(regranted + 10_000n)).to.equal(true);
      expect(await ledger.hadRoleAt(role("MOULDER_ROLE"), supplier.address, regranted)).to.equal(false);
    });
  });

  describe("anchoring", function () {
    it("anchors a root and tells when and in which batch", async function () {
      const { ledger, anchorer } = await loadFixture(deployLedger);
      const root = ethers.keccak256("0x01");
      await expect(ledger.connect(anchorer).anchor(root, 3, MANIFEST))
        .to.emit(ledger, "RootAnchored")
        .withArgs(1, root, 3, MANIFEST, anchorer.address);
      const block = await ethers.provider.getBlock("latest");
      const anchor = await ledger.anchorOf(root);
      expect(anchor.batchId).to.equal(1n);
      expect(anchor.leafCount).to.equal(3n);
      expect(anchor.anchoredAt).to.equal(BigInt(block!.timestamp));
      expect(anchor.blockNumber).to.equal(BigInt(block!.number));
      expect(await ledger.isAnchored(root)).to.equal(true);
      expect(await ledger.batchCount()).to.equal(1n);

      const second = ethers.keccak256("0x02");
      expect(await ledger.connect(anchorer).anchor.staticCall(second, 1, MANIFEST)).to.equal(2n);
      await ledger.connect(anchorer).anchor(second, 1, MANIFEST);
      expect(await ledger.batchCount()).to.equal(2n);
      expect((await ledger.anchorOf(second)).batchId).to.equal(2n);
    });

    it("reports zeros for a root never anchored", async function () {
      const { ledger } = await loadFixture(deployLedger);
      const anchor = await ledger.anchorOf(ethers.keccak256("0x09"));
      expect([anchor.batchId, anchor.leafCount, anchor.anchoredAt, anchor.blockNumber]).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(await ledger.isAnchored(ethers.keccak256("0x09"))).to.equal(false);
    });

    it("rejects an empty root, an empty batch, an empty manifest and a duplicate root", async function () {
      const { ledger, anchorer } = await loadFixture(deployLedger);
      const asAnchorer = ledger.connect(anchorer);
      await expect(asAnchorer.anchor(ZERO, 1, MANIFEST)).to.be.revertedWithCustomError(ledger, "TraceLedgerEmptyRoot");
      const root = ethers.keccak256("0x01");
      await expect(asAnchorer.anchor(root, 0, MANIFEST)).to.be.revertedWithCustomError(ledger, "TraceLedgerEmptyBatch");
      await expect(asAnchorer.anchor(root, 1, "")).to.be.revertedWithCustomError(ledger, "TraceLedgerEmptyManifest");
      await asAnchorer.anchor(root, 1, MANIFEST);
      await expect(asAnchorer.anchor(root, 2, MANIFEST))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerRootAlreadyAnchored")
        .withArgs(root, 1);
    });

    it("lets only anchorers anchor", async function () {
      const { ledger, outsider } = await loadFixture(deployLedger);
      await expect(ledger.connect(outsider).anchor(ethers.keccak256("0x01"), 1, MANIFEST))
        .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role("ANCHORER_ROLE"));
    });
  });

  describe("Merkle proofs", function () {
    async function anchoredTree() {
      const fixture = await deployLedger();
      const [, , , supplier, outsider] = await ethers.getSigners();
      const values = Array.from({ length: 7 }, (_, i) => [eventHash(i), i % 2 ? supplier.address : outsider.address]);
      const tree = StandardMerkleTree.of(values, ["bytes32", "address"]);
      await fixture.ledger.connect(fixture.anchorer).anchor(tree.root, values.length, MANIFEST);
      return { ...fixture, tree, values };
    }

    it("computes leaves exactly as @openzeppelin/merkle-tree does", async function () {
      const { ledger, tree, values } = await loadFixture(anchoredTree);
      for (const [i, [hash, signer]] of values.entries()) {
        expect(await ledger.leafOf(hash, signer)).to.equal(tree.leafHash(values[i]));
      }
    });

    it("verifies every leaf of an anchored batch, by leaf and by event", async function () {
      const { ledger, tree, values } = await loadFixture(anchoredTree);
      for (const [i, [hash, signer]] of values.entries()) {
        const proof = tree.getProof(i);
        expect(await ledger.verifyLeaf(tree.root, proof, tree.leafHash(values[i]))).to.equal(true);
        expect(await ledger.verifyEvent(tree.root, proof, hash, signer)).to.equal(true);
      }
    });

    it("rejects a wrong signer, a wrong event or a wrong proof", async function () {
      const { ledger, tree, values, anchorer } = await loadFixture(anchoredTree);
      const [hash] = values[1];
      const proof = tree.getProof(1);
      expect(await ledger.verifyEvent(tree.root, proof, hash, anchorer.address)).to.equal(false);
      expect(await ledger.verifyEvent(tree.root, proof, eventHash(99), values[1][1])).to.equal(false);
      expect(await ledger.verifyEvent(tree.root, tree.getProof(2), hash, values[1][1])).to.equal(false);
    });

    it("refuses to verify against a root that was never anchored", async function () {
      const { ledger, tree, values } = await loadFixture(anchoredTree);
      const other = StandardMerkleTree.of(values.slice(0, 3), ["bytes32", "address"]);
      await expect(ledger.verifyEvent(other.root, other.getProof(0), values[0][0], values[0][1]))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerRootNotAnchored")
        .withArgs(other.root);
      await expect(ledger.verifyLeaf(other.root, other.getProof(0), other.leafHash(values[0])))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerRootNotAnchored")
        .withArgs(other.root);
      expect(tree.root).to.not.equal(other.root);
    });
  });

  describe("attestations", function () {
    const subject = ethers.keccak256(ethers.toUtf8Bytes("bundle"));
    const statement = ethers.keccak256(ethers.toUtf8Bytes("statement"));
    const report = "bafkreiaxnnnb7qz2focittuqq3ya25q7rcv3bqynnczfzako47346wosmu";
    const NONCE = 7n;
    const ATTESTATION_TYPES = {
      Attestation: [
        { name: "subject", type: "bytes32" },
        { name: "statementHash", type: "bytes32" },
        { name: "verdict", type: "uint8" },
        { name: "reportCid", type: "string" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };

    async function domainOf(ledger: Awaited<ReturnType<typeof deployLedger>>["ledger"]) {
      const { chainId } = await ethers.provider.getNetwork();
      return { name: "CarbonTrace TraceLedger", version: "1", chainId, verifyingContract: await ledger.getAddress() };
    }

    async function inOneHour(): Promise<bigint> {
      return BigInt(await time.latest()) + 3600n;
    }

    async function signAttestation(
      ledger: Awaited<ReturnType<typeof deployLedger>>["ledger"],
      signer: Awaited<ReturnType<typeof ethers.getSigners>>[number],
      verdict: Verdict,
      deadline: bigint,
      nonce = NONCE,
    ): Promise<string> {
      return signer.signTypedData(await domainOf(ledger), ATTESTATION_TYPES, {
        subject,
        statementHash: statement,
        verdict,
        reportCid: report,
        nonce,
        deadline,
      });
    }

    it("records a certifier's own attestation", async function () {
      const { ledger, certifier } = await loadFixture(deployLedger);
      await expect(ledger.connect(certifier).attest(subject, statement, Verdict.Verified, report))
        .to.emit(ledger, "AttestationRecorded")
        .withArgs(subject, certifier.address, statement, Verdict.Verified, report, certifier.address);
      const [attestation] = await ledger.attestationsOf(subject);
      expect(attestation.certifier).to.equal(certifier.address);
      expect(attestation.statementHash).to.equal(statement);
      expect(attestation.verdict).to.equal(BigInt(Verdict.Verified));
      expect(attestation.attestedAt).to.equal(BigInt(await time.latest()));
    });

    it("lets only certifiers attest directly", async function () {
      const { ledger, outsider, operator } = await loadFixture(deployLedger);
      for (const caller of [outsider, operator]) {
        await expect(ledger.connect(caller).attest(subject, statement, Verdict.Verified, report))
          .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, role("CERTIFIER_ROLE"));
      }
    });

    it("rejects an empty subject or statement and a repeated attestation", async function () {
      const { ledger, certifier } = await loadFixture(deployLedger);
      const asCertifier = ledger.connect(certifier);
      await expect(asCertifier.attest(ZERO, statement, Verdict.Verified, report)).to.be.revertedWithCustomError(
        ledger,
        "TraceLedgerEmptyAttestation",
      );
      await expect(asCertifier.attest(subject, ZERO, Verdict.Verified, report)).to.be.revertedWithCustomError(
        ledger,
        "TraceLedgerEmptyAttestation",
      );
      await asCertifier.attest(subject, statement, Verdict.Verified, report);
      await expect(asCertifier.attest(subject, statement, Verdict.Rejected, report))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerAttestationExists")
        .withArgs(subject, certifier.address, statement);
    });

    it("computes the EIP-712 digest that ethers signs, nonce and deadline included", async function () {
      const { ledger } = await loadFixture(deployLedger);
      const deadline = 1_900_000_000n;
      const expected = ethers.TypedDataEncoder.hash(await domainOf(ledger), ATTESTATION_TYPES, {
        subject,
        statementHash: statement,
        verdict: Verdict.Rejected,
        reportCid: report,
        nonce: NONCE,
        deadline,
      });
      expect(await ledger.attestationDigest(subject, statement, Verdict.Rejected, report, NONCE, deadline)).to.equal(
        expected,
      );
    });

    it("records an attestation signed off chain and submitted by someone else, once", async function () {
      const { ledger, certifier, anchorer } = await loadFixture(deployLedger);
      const deadline = await inOneHour();
      const signature = await signAttestation(ledger, certifier, Verdict.VerifiedWithQualifications, deadline);
      const submit = () =>
        ledger
          .connect(anchorer)
          .attestBySig(
            subject,
            statement,
            Verdict.VerifiedWithQualifications,
            report,
            NONCE,
            deadline,
            certifier.address,
            signature,
          );
      await expect(submit())
        .to.emit(ledger, "AttestationRecorded")
        .withArgs(subject, certifier.address, statement, Verdict.VerifiedWithQualifications, report, anchorer.address);
      expect((await ledger.attestationsOf(subject)).length).to.equal(1);
      expect(await ledger.nonceUsed(certifier.address, NONCE)).to.equal(true);
      await expect(submit())
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNonceUsed")
        .withArgs(certifier.address, NONCE);
    });

    it("accepts nonces in any order but each only once", async function () {
      const { ledger, certifier, anchorer } = await loadFixture(deployLedger);
      const deadline = await inOneHour();
      const second = ethers.keccak256(ethers.toUtf8Bytes("statement 2"));
      const sign = (statementHash: string, nonce: bigint) =>
        domainOf(ledger).then((domain) =>
          certifier.signTypedData(domain, ATTESTATION_TYPES, {
            subject,
            statementHash,
            verdict: Verdict.Verified,
            reportCid: report,
            nonce,
            deadline,
          }),
        );
      const submit = (statementHash: string, nonce: bigint, signature: string) =>
        ledger
          .connect(anchorer)
          .attestBySig(subject, statementHash, Verdict.Verified, report, nonce, deadline, certifier.address, signature);
      await submit(second, 99n, await sign(second, 99n));
      await submit(statement, 3n, await sign(statement, 3n));
      expect((await ledger.attestationsOf(subject)).length).to.equal(2);
    });

    it("refuses a signature after its deadline", async function () {
      const { ledger, certifier, anchorer } = await loadFixture(deployLedger);
      const deadline = await inOneHour();
      const signature = await signAttestation(ledger, certifier, Verdict.Verified, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(
        ledger
          .connect(anchorer)
          .attestBySig(subject, statement, Verdict.Verified, report, NONCE, deadline, certifier.address, signature),
      )
        .to.be.revertedWithCustomError(ledger, "TraceLedgerSignatureExpired")
        .withArgs(deadline);
    });

    it("lets a certifier cancel a nonce, voiding a signature not yet submitted", async function () {
      const { ledger, certifier, anchorer } = await loadFixture(deployLedger);
      const deadline = await inOneHour();
      const signature = await signAttestation(ledger, certifier, Verdict.Verified, deadline);
      await expect(ledger.connect(certifier).cancelNonce(NONCE))
        .to.emit(ledger, "NonceCancelled")
        .withArgs(certifier.address, NONCE);
      await expect(ledger.connect(certifier).cancelNonce(NONCE))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNonceUsed")
        .withArgs(certifier.address, NONCE);
      await expect(
        ledger
          .connect(anchorer)
          .attestBySig(subject, statement, Verdict.Verified, report, NONCE, deadline, certifier.address, signature),
      )
        .to.be.revertedWithCustomError(ledger, "TraceLedgerNonceUsed")
        .withArgs(certifier.address, NONCE);
    });

    it("rejects a signature from a non-certifier or over different content", async function () {
      const { ledger, certifier, outsider, anchorer } = await loadFixture(deployLedger);
      const deadline = await inOneHour();
      const submit = (verdict: Verdict, who: string, signature: string, nonce = NONCE) =>
        ledger.connect(anchorer).attestBySig(subject, statement, verdict, report, nonce, deadline, who, signature);
      const byOutsider = await signAttestation(ledger, outsider, Verdict.Verified, deadline);
      await expect(submit(Verdict.Verified, outsider.address, byOutsider))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCertifierSignature")
        .withArgs(outsider.address);
      const byCertifier = await signAttestation(ledger, certifier, Verdict.Verified, deadline);
      await expect(submit(Verdict.Rejected, certifier.address, byCertifier))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCertifierSignature")
        .withArgs(certifier.address);
      await expect(submit(Verdict.Verified, certifier.address, byCertifier, NONCE + 1n))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCertifierSignature")
        .withArgs(certifier.address);
      await expect(submit(Verdict.Verified, certifier.address, byOutsider))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCertifierSignature")
        .withArgs(certifier.address);
    });

    it("stops accepting a certifier's signatures once the role is revoked", async function () {
      const { ledger, registrar, certifier, anchorer } = await loadFixture(deployLedger);
      const deadline = await inOneHour();
      const signature = await signAttestation(ledger, certifier, Verdict.Verified, deadline);
      await registrar.revokeRole(role("CERTIFIER_ROLE"), certifier.address);
      await expect(
        ledger
          .connect(anchorer)
          .attestBySig(subject, statement, Verdict.Verified, report, NONCE, deadline, certifier.address, signature),
      ).to.be.revertedWithCustomError(ledger, "TraceLedgerInvalidCertifierSignature");
    });

    it("lists attestations about a subject oldest first", async function () {
      const { ledger, certifier } = await loadFixture(deployLedger);
      const other = ethers.keccak256(ethers.toUtf8Bytes("second statement"));
      await ledger.connect(certifier).attest(subject, statement, Verdict.Verified, report);
      await ledger.connect(certifier).attest(subject, other, Verdict.Rejected, "");
      const list = await ledger.attestationsOf(subject);
      expect(list.map((a: { statementHash: string }) => a.statementHash)).to.deep.equal([statement, other]);
      expect(await ledger.attestationsOf(ethers.keccak256("0x05"))).to.deep.equal([]);
    });
  });

  describe("authority", function () {
    it("gives the operator REGISTRAR_ROLE and ANCHORER_ROLE, never the admin role", async function () {
      const { ledger, operator } = await loadFixture(deployLedger);
      expect(await ledger.hasRole(role("REGISTRAR_ROLE"), operator.address)).to.equal(true);
      expect(await ledger.hasRole(role("ANCHORER_ROLE"), operator.address)).to.equal(true);
      expect(await ledger.hasRole(ZERO, operator.address)).to.equal(false);
      for (const name of ["CERTIFIER_ROLE", "SUPPLIER_ROLE", "RECYCLER_ROLE", "MOULDER_ROLE", "WAREHOUSE_ROLE"]) {
        expect(await ledger.getRoleAdmin(role(name))).to.equal(role("REGISTRAR_ROLE"));
      }
      expect(await ledger.getRoleAdmin(role("REGISTRAR_ROLE"))).to.equal(ZERO);
      expect(await ledger.getRoleAdmin(role("ANCHORER_ROLE"))).to.equal(ZERO);
    });

    it("deploys without an operator when given the zero address", async function () {
      const [admin] = await ethers.getSigners();
      const ledger = await ethers.deployContract("TraceLedger", [ADMIN_DELAY, admin.address, ethers.ZeroAddress]);
      expect(await ledger.hasRole(role("REGISTRAR_ROLE"), ethers.ZeroAddress)).to.equal(false);
      expect(await ledger.hasRole(role("ANCHORER_ROLE"), ethers.ZeroAddress)).to.equal(false);
    });

    it("lets a registrar grant and revoke participant roles, with the events on chain", async function () {
      const { ledger, registrar, operator, supplier } = await loadFixture(deployLedger);
      await expect(registrar.grantRole(role("RECYCLER_ROLE"), supplier.address))
        .to.emit(ledger, "RoleGranted")
        .withArgs(role("RECYCLER_ROLE"), supplier.address, operator.address);
      await expect(registrar.revokeRole(role("RECYCLER_ROLE"), supplier.address))
        .to.emit(ledger, "RoleRevoked")
        .withArgs(role("RECYCLER_ROLE"), supplier.address, operator.address);
      expect((await ledger.roleTermsOf(role("RECYCLER_ROLE"), supplier.address)).length).to.equal(1);
    });

    it("never lets a registrar make itself (or another operator) a certifier or a participant", async function () {
      const { ledger, registrar, operator, admin } = await loadFixture(deployLedger);
      for (const name of ["CERTIFIER_ROLE", "SUPPLIER_ROLE", "WAREHOUSE_ROLE"]) {
        for (const account of [operator.address, admin.address]) {
          await expect(registrar.grantRole(role(name), account))
            .to.be.revertedWithCustomError(ledger, "TraceLedgerRoleConflict")
            .withArgs(role(name), account);
        }
      }
    });

    it("never lets a registrar grant operator roles, nor itself the admin role", async function () {
      const { ledger, registrar, operator, outsider } = await loadFixture(deployLedger);
      for (const name of ["REGISTRAR_ROLE", "ANCHORER_ROLE"]) {
        await expect(registrar.grantRole(role(name), outsider.address))
          .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
          .withArgs(operator.address, ZERO);
      }
      await expect(registrar.grantRole(ZERO, operator.address)).to.be.revertedWithCustomError(
        ledger,
        "AccessControlEnforcedDefaultAdminRules",
      );
      await expect(registrar.beginDefaultAdminTransfer(operator.address))
        .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, ZERO);
    });

    it("refuses operator roles to an account that holds a participant role", async function () {
      const { ledger, certifier } = await loadFixture(deployLedger);
      await expect(ledger.grantRole(role("ANCHORER_ROLE"), certifier.address))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerRoleConflict")
        .withArgs(role("ANCHORER_ROLE"), certifier.address);
      await ledger.beginDefaultAdminTransfer(certifier.address);
      await time.increase(ADMIN_DELAY + 1);
      await expect(ledger.connect(certifier).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(ledger, "TraceLedgerRoleConflict")
        .withArgs(ZERO, certifier.address);
    });

    it("lets the admin appoint and dismiss operators", async function () {
      const { ledger, outsider, supplier } = await loadFixture(deployLedger);
      await ledger.grantRole(role("REGISTRAR_ROLE"), outsider.address);
      await ledger.connect(outsider).grantRole(role("SUPPLIER_ROLE"), supplier.address);
      await ledger.revokeRole(role("REGISTRAR_ROLE"), outsider.address);
      await expect(ledger.connect(outsider).revokeRole(role("SUPPLIER_ROLE"), supplier.address))
        .to.be.revertedWithCustomError(ledger, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role("REGISTRAR_ROLE"));
    });

    it("hands the admin role over in two steps, after the delay", async function () {
      const { ledger, admin, multisig } = await loadFixture(deployLedger);
      await ledger.beginDefaultAdminTransfer(multisig.address);
      const [pending, schedule] = await ledger.pendingDefaultAdmin();
      expect(pending).to.equal(multisig.address);
      expect(schedule).to.equal(BigInt(await time.latest()) + BigInt(ADMIN_DELAY));
      await expect(ledger.connect(multisig).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(ledger, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await time.increaseTo(schedule + 1n);
      await ledger.connect(multisig).acceptDefaultAdminTransfer();
      expect(await ledger.defaultAdmin()).to.equal(multisig.address);
      expect(await ledger.hasRole(ZERO, admin.address)).to.equal(false);
      expect((await ledger.roleTermsOf(ZERO, admin.address))[0].revokedAt).to.not.equal(0n);
    });

    it("lets only the pending admin accept, and the admin cancel", async function () {
      const { ledger, multisig, outsider } = await loadFixture(deployLedger);
      await ledger.beginDefaultAdminTransfer(multisig.address);
      await time.increase(ADMIN_DELAY + 1);
      await expect(ledger.connect(outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(ledger, "AccessControlInvalidDefaultAdmin")
        .withArgs(outsider.address);
      await ledger.cancelDefaultAdminTransfer();
      await expect(ledger.connect(multisig).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(ledger, "AccessControlInvalidDefaultAdmin")
        .withArgs(multisig.address);
    });

    it("advertises IAccessControlDefaultAdminRules", async function () {
      const { ledger } = await loadFixture(deployLedger);
      expect(await ledger.supportsInterface("0x31498786")).to.equal(true);
    });
  });
});
