import { Injectable } from "@nestjs/common";
import { getAddress, hexlify, isAddress, randomBytes } from "ethers";
import { DomainError, isUuid } from "#common";
import { issueApiKey, KeyVault } from "#custody";
import { ParticipantRepository, type KeyStatus, type ParticipantRecord } from "#database";
import { keyPossessionSigner, type SigningDomain } from "#proof";
import type { CreateParticipantDto, ParticipantDto } from "./dto/participant.dto.js";
import { checkIdentifier } from "./identifier-check.js";
import { RoleSyncService } from "./role-sync.service.js";

const UNIQUE_VIOLATION = "23505";

@Injectable()
export class ParticipantsService {
  constructor(
    private readonly participants: ParticipantRepository,
    private readonly vault: KeyVault,
    private readonly roleSync: RoleSyncService,
  ) {}

  /**
   * Registers a participant with its first API key and grants its roles on the ledger. For custodial
   * participants a signing key is generated and sealed; the key itself is never returned or logged.
   */
  async register(
    input: CreateParticipantDto,
  ): Promise<{ participant: ParticipantRecord; apiKey: { id: string; token: string } }> {
    const identifier = checkIdentifier(input.identifier.scheme, input.identifier.value);
    const locations = (input.locations ?? []).map((gln) => checkLocation(gln));
    const companyPrefixes = input.companyPrefixes ?? [];
    await this.refuseOwnedPrefixes(companyPrefixes, undefined);
    const custody = this.custody(input);
    const apiKey = issueApiKey();
    let participant: ParticipantRecord;
    try {
      participant = await this.participants.create(
        {
          organisation: input.organisation.trim(),
          identifierScheme: input.identifier.scheme,
          identifier,
          displayNameZh: input.displayName.zh.trim(),
          displayNameEn: input.displayName.en.trim(),
          country: input.country ?? null,
          address: custody.address,
          encryptedKey: custody.sealed,
          keyStatus: custody.keyStatus,
          roles: input.roles,
          companyPrefixes,
          locations,
        },
        { id: apiKey.id, secretSha256: apiKey.secretSha256, label: "initial" },
      );
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
    await this.roleSync.sync({ recheckGranted: true, participantId: participant.id });
    return { participant: await this.get(participant.id), apiKey: { id: apiKey.id, token: apiKey.token } };
  }

  async addRoles(id: string, roles: readonly string[]): Promise<ParticipantRecord> {
    await this.get(id);
    await this.participants.addRoles(id, roles);
    await this.roleSync.sync({ recheckGranted: true, participantId: id });
    return this.get(id);
  }

  /** Revokes a role on the ledger (TraceLedger keeps the term in its history); capture stops at once. */
  async revokeRole(id: string, role: string): Promise<ParticipantRecord> {
    await this.get(id);
    if (!(await this.participants.revokeRole(id, role))) {
      throw new DomainError(
        "PARTICIPANT.ROLE_NOT_HELD",
        "not-found",
        `The participant holds no ${role} role that could be revoked`,
        { role },
      );
    }
    await this.roleSync.sync({ recheckGranted: false, participantId: id });
    return this.get(id);
  }

  async roleHistory(id: string): Promise<ReturnType<ParticipantRepository["roleHistory"]>> {
    await this.get(id);
    return this.participants.roleHistory(id);
  }

  async addLocations(id: string, glns: readonly string[]): Promise<ParticipantRecord> {
    await this.get(id);
    await this.participants.addLocations(
      id,
      glns.map((gln) => checkLocation(gln)),
    );
    return this.get(id);
  }

  async addCompanyPrefixes(id: string, prefixes: readonly string[]): Promise<ParticipantRecord> {
    await this.get(id);
    await this.refuseOwnedPrefixes(prefixes, id);
    await this.participants.addCompanyPrefixes(id, prefixes);
    return this.get(id);
  }

  /** A GS1 Company Prefix has one owner: registering it for a second participant is refused. */
  private async refuseOwnedPrefixes(prefixes: readonly string[], except: string | undefined): Promise<void> {
    const owners = (await this.participants.ownersOfPrefixes(prefixes)).filter((owner) => owner.id !== except);
    const [owner] = owners;
    if (owner !== undefined) {
      throw new DomainError(
        "PARTICIPANT.PREFIX_OWNED",
        "conflict",
        `The GS1 Company Prefix ${owner.prefix} is already registered to ${owner.organisation}`,
        { prefix: owner.prefix },
      );
    }
  }

  async get(id: string): Promise<ParticipantRecord> {
    const participant = isUuid(id) ? await this.participants.findById(id) : undefined;
    if (participant === undefined) {
      throw new DomainError("PARTICIPANT.NOT_FOUND", "not-found", `No participant ${id}`, { id });
    }
    return participant;
  }

  list(): Promise<ParticipantRecord[]> {
    return this.participants.list();
  }

  async issueKey(id: string, label: string | undefined): Promise<{ id: string; token: string }> {
    await this.get(id);
    const key = issueApiKey();
    await this.participants.addApiKey(id, { id: key.id, secretSha256: key.secretSha256, label: label ?? null });
    return { id: key.id, token: key.token };
  }

  async revokeKey(id: string, keyId: string): Promise<void> {
    // Key ids are the token's 16-hex prefix, not UUIDs: only the participant id is a uuid column.
    const revoked = isUuid(id) && (await this.participants.revokeApiKey(id, keyId));
    if (!revoked) {
      throw new DomainError("PARTICIPANT.API_KEY_NOT_FOUND", "not-found", `No live API key ${keyId} for ${id}`, {
        keyId,
      });
    }
  }

  listKeys(id: string): ReturnType<ParticipantRepository["listApiKeys"]> {
    return this.participants.listApiKeys(id);
  }

  /**
   * A self-custody participant's own key, created by its person in the console: given once, with an EIP-712 proof
   * that the caller holds it; then its roles are granted to it on the ledger.
   */
  async takeOwnKey(
    participant: ParticipantRecord,
    address: string,
    signature: string,
    domain: SigningDomain,
  ): Promise<ParticipantRecord> {
    if (participant.keyStatus !== "awaiting") {
      throw new DomainError(
        "CONSOLE.KEY_ALREADY_SET",
        "conflict",
        "This participant's key is set already; a lost key is replaced by the administrator",
      );
    }
    if (!isAddress(address) || keyPossessionSigner(domain, participant.id, signature) !== getAddress(address)) {
      throw new DomainError(
        "CONSOLE.KEY_PROOF_INVALID",
        "invalid",
        "The signature does not prove possession of this address's key for this participant on this ledger",
      );
    }
    try {
      if (!(await this.participants.setOwnKey(participant.id, getAddress(address)))) {
        throw new DomainError("CONSOLE.KEY_ALREADY_SET", "conflict", "This participant's key is set already");
      }
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
    await this.roleSync.sync({ recheckGranted: true, participantId: participant.id });
    return this.get(participant.id);
  }

  private custody(input: CreateParticipantDto): { address: string; sealed: Buffer | null; keyStatus: KeyStatus } {
    if (input.custody === "custodial" && input.keyFromConsole === true) {
      throw new DomainError(
        "PARTICIPANT.KEY_FROM_CONSOLE_NOT_ALLOWED",
        "invalid",
        "A custodial participant's key is the service's: keyFromConsole is for self custody",
      );
    }
    if (input.keyFromConsole === true) {
      if (input.address !== undefined) {
        throw new DomainError(
          "PARTICIPANT.ADDRESS_NOT_ALLOWED",
          "invalid",
          "The key is created in the console: do not send an address",
        );
      }
      // A placeholder no key was ever made for (20 random bytes): nothing can sign as it, no role is granted to it.
      return { address: getAddress(hexlify(randomBytes(20))), sealed: null, keyStatus: "awaiting" };
    }
    if (input.custody === "custodial") {
      if (input.address !== undefined) {
        throw new DomainError(
          "PARTICIPANT.ADDRESS_NOT_ALLOWED",
          "invalid",
          "A custodial participant gets a key from the service: do not send an address",
        );
      }
      const key = this.vault.createKey();
      return { address: key.address, sealed: key.sealed, keyStatus: "set" };
    }
    if (input.address === undefined) {
      throw new DomainError(
        "PARTICIPANT.ADDRESS_REQUIRED",
        "invalid",
        "A self-custody participant needs the address of the key it signs with",
      );
    }
    return { address: getAddress(input.address.toLowerCase()), sealed: null, keyStatus: "set" };
  }
}

export function toParticipantDto(participant: ParticipantRecord): ParticipantDto {
  return {
    id: participant.id,
    organisation: participant.organisation,
    identifier: {
      scheme: participant.identifierScheme as ParticipantDto["identifier"]["scheme"],
      value: participant.identifier,
    },
    displayName: { zh: participant.displayNameZh, en: participant.displayNameEn },
    country: participant.country,
    address: participant.keyStatus === "awaiting" ? null : participant.address,
    keyStatus: participant.keyStatus,
    custody: participant.custodial ? "custodial" : "self",
    roles: participant.roles.map((role) => ({
      role: role.role,
      chainStatus: role.chainStatus,
      txHash: role.chainTxHash,
      error: role.chainError,
      revokedAt: role.revokedAt?.toISOString() ?? null,
    })),
    companyPrefixes: [...participant.companyPrefixes],
    locations: [...participant.locations],
    createdAt: participant.createdAt.toISOString(),
  };
}

function checkLocation(gln: string): string {
  try {
    return checkIdentifier("gln", gln);
  } catch {
    throw new DomainError(
      "PARTICIPANT.LOCATION_INVALID",
      "invalid",
      `"${gln}" is not a valid GLN (13 digits, check digit)`,
      {
        gln,
      },
    );
  }
}

function uniqueViolation(error: unknown): DomainError | undefined {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  if (driver?.code !== UNIQUE_VIOLATION) return undefined;
  const what = driver.constraint === "UQ_participant_address" ? "address" : "identifier";
  return new DomainError(
    "PARTICIPANT.ALREADY_EXISTS",
    "conflict",
    `A participant with this ${what} is already registered`,
    { field: what },
  );
}
