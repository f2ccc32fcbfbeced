import { IsNull, type DataSource, type EntityManager, type Repository } from "typeorm";
import { ApiKeyEntity } from "./entities/api-key.entity.js";
import { ParticipantRoleEntity } from "./entities/participant-role.entity.js";
import { ParticipantEntity } from "./entities/participant.entity.js";

export type ChainStatus = "pending" | "granted" | "failed";

export interface ParticipantRoleRecord {
  readonly role: string;
  readonly chainStatus: ChainStatus;
  readonly chainTxHash: string | null;
  readonly chainError: string | null;
}

export interface ParticipantRecord {
  readonly id: string;
  readonly organisation: string;
  readonly identifierScheme: string;
  readonly identifier: string;
  readonly displayNameZh: string;
  readonly displayNameEn: string;
  readonly country: string | null;
  readonly address: string;
  readonly custodial: boolean;
  readonly createdAt: Date;
  readonly roles: readonly ParticipantRoleRecord[];
}

export interface NewParticipant {
  readonly organisation: string;
  readonly identifierScheme: string;
  readonly identifier: string;
  readonly displayNameZh: string;
  readonly displayNameEn: string;
  readonly country: string | null;
  readonly address: string;
  readonly encryptedKey: Buffer | null;
  readonly roles: readonly string[];
}

export interface NewApiKey {
  readonly id: string;
  readonly secretSha256: Buffer;
  readonly label: string | null;
}

/** The only code that reads or writes participants, their roles and their API keys. */
export class ParticipantRepository {
  private readonly participants: Repository<ParticipantEntity>;
  private readonly roles: Repository<ParticipantRoleEntity>;
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.participants = dataSource.getRepository(ParticipantEntity);
    this.roles = dataSource.getRepository(ParticipantRoleEntity);
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  /** Participant, its roles (pending on chain) and its first API key, in one transaction. */
  async create(participant: NewParticipant, apiKey: NewApiKey): Promise<ParticipantRecord> {
    const id = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(ParticipantEntity).save({
        organisation: participant.organisation,
        identifierScheme: participant.identifierScheme,
        identifier: participant.identifier,
        displayNameZh: participant.displayNameZh,
        displayNameEn: participant.displayNameEn,
        country: participant.country,
        address: participant.address,
        custodial: participant.encryptedKey !== null,
        encryptedKey: participant.encryptedKey,
      });
      await this.insertRoles(manager, saved.id, participant.roles);
      await manager.getRepository(ApiKeyEntity).insert({ participantId: saved.id, ...apiKey });
      return saved.id;
    });
    return this.require(id);
  }

  async addRoles(participantId: string, roles: readonly string[]): Promise<void> {
    await this.dataSource.transaction((manager) => this.insertRoles(manager, participantId, roles));
  }

  async findById(id: string): Promise<ParticipantRecord | undefined> {
    const row = await this.participants.findOne({ where: { id }, relations: { roles: true } });
    return row === null ? undefined : toRecord(row);
  }

  async findByAddress(address: string): Promise<ParticipantRecord | undefined> {
    const row = await this.participants.findOne({ where: { address }, relations: { roles: true } });
    return row === null ? undefined : toRecord(row);
  }

  async findByAddresses(addresses: readonly string[]): Promise<ParticipantRecord[]> {
    if (addresses.length === 0) return [];
    const rows = await this.participants
      .createQueryBuilder("p")
      .leftJoinAndSelect("p.roles", "r")
      .where("p.address IN (:...addresses)", { addresses })
      .getMany();
    return rows.map(toRecord);
  }

  async list(): Promise<ParticipantRecord[]> {
    const rows = await this.participants.find({ relations: { roles: true }, order: { createdAt: "ASC" } });
    return rows.map(toRecord);
  }

  /** The sealed custodial key; only the signing path reads it. */
  async sealedKeyOf(id: string): Promise<Buffer | null> {
    const row = await this.participants
      .createQueryBuilder("p")
      .addSelect("p.encryptedKey")
      .where("p.id = :id", { id })
      .getOne();
    return row?.encryptedKey ?? null;
  }

  async setRoleStatus(
    participantId: string,
    role: string,
    status: ChainStatus,
    txHash: string | null,
    error: string | null,
  ): Promise<void> {
    await this.roles.update({ participantId, role }, { chainStatus: status, chainTxHash: txHash, chainError: error });
  }

  /** Roles the ledger has not confirmed yet, oldest first, with their participant's address. */
  async rolesToSync(): Promise<
    Array<{ participantId: string; address: string; role: string; chainStatus: ChainStatus }>
  > {
    const rows = await this.roles.find({ relations: { participant: true }, order: { updatedAt: "ASC" } });
    return rows.map((row) => ({
      participantId: row.participantId,
      address: row.participant.address,
      role: row.role,
      chainStatus: row.chainStatus as ChainStatus,
    }));
  }

  async addApiKey(participantId: string, apiKey: NewApiKey): Promise<void> {
    await this.keys.insert({ participantId, ...apiKey });
  }

  /** The key (if not revoked) and its participant. */
  async findApiKey(id: string): Promise<{ secretSha256: Buffer; participant: ParticipantRecord } | undefined> {
    const key = await this.keys.findOne({ where: { id, revokedAt: IsNull() } });
    if (key === null) return undefined;
    const participant = await this.findById(key.participantId);
    return participant === undefined ? undefined : { secretSha256: key.secretSha256, participant };
  }

  async listApiKeys(
    participantId: string,
  ): Promise<Array<{ id: string; label: string | null; createdAt: Date; revokedAt: Date | null }>> {
    const rows = await this.keys.find({ where: { participantId }, order: { createdAt: "ASC" } });
    return rows.map(({ id, label, createdAt, revokedAt }) => ({ id, label, createdAt, revokedAt }));
  }

  /** True if a live key was revoked. */
  async revokeApiKey(participantId: string, id: string): Promise<boolean> {
    const result = await this.keys.update({ id, participantId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  private async insertRoles(manager: EntityManager, participantId: string, roles: readonly string[]): Promise<void> {
    if (roles.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(ParticipantRoleEntity)
      .values(roles.map((role) => ({ participantId, role, chainStatus: "pending" })))
      .orIgnore()
      .execute();
  }

  private async require(id: string): Promise<ParticipantRecord> {
    const record = await this.findById(id);
    if (record === undefined) throw new Error(`participant ${id} vanished`);
    return record;
  }
}

function toRecord(row: ParticipantEntity): ParticipantRecord {
  return {
    id: row.id,
    organisation: row.organisation,
    identifierScheme: row.identifierScheme,
    identifier: row.identifier,
    displayNameZh: row.displayNameZh,
    displayNameEn: row.displayNameEn,
    country: row.country,
    address: row.address,
    custodial: row.custodial,
    createdAt: row.createdAt,
    roles: [...row.roles]
      .sort((a, b) => a.role.localeCompare(b.role))
      .map((role) => ({
        role: role.role,
        chainStatus: role.chainStatus as ChainStatus,
        chainTxHash: role.chainTxHash,
        chainError: role.chainError,
      })),
  };
}
