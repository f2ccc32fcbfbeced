import {
  In,
  IsNull,
  type DataSource,
  type EntityManager,
  type FindManyOptions,
  type FindOptionsWhere,
  type Repository,
} from "typeorm";
import { ApiKeyEntity } from "./entities/api-key.entity.js";
import { ParticipantRoleEntity } from "./entities/participant-role.entity.js";
import { ParticipantEntity } from "./entities/participant.entity.js";

/** A role's state on the ledger: granting (pending, failed while retried), granted, revoking, revoked. */
export type ChainStatus = "pending" | "granted" | "failed" | "revoking" | "revoked";

export interface RoleChangeRecord {
  readonly role: string;
  readonly action: "granted" | "revoked";
  readonly txHash: string | null;
  readonly recordedAt: Date;
}

export interface ParticipantRoleRecord {
  readonly role: string;
  readonly chainStatus: ChainStatus;
  readonly chainTxHash: string | null;
  readonly chainError: string | null;
  readonly revokedAt: Date | null;
}

export type KeyStatus = "set" | "awaiting";

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
  /** `awaiting`: its person creates its key in the console (its address is a placeholder until then). */
  readonly keyStatus: KeyStatus;
  /** GS1 Company Prefixes it owns (brand owner of the GTINs under them). */
  readonly companyPrefixes: readonly string[];
  /** GLNs of its sites, besides its own GLN. */
  readonly locations: readonly string[];
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
  readonly keyStatus?: KeyStatus;
  readonly roles: readonly string[];
  readonly companyPrefixes: readonly string[];
  readonly locations: readonly string[];
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
        keyStatus: participant.keyStatus ?? "set",
        encryptedKey: participant.encryptedKey,
        companyPrefixes: [...participant.companyPrefixes],
        locations: [...participant.locations],
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

  /** Marks a role for revocation on the ledger; false if the participant does not hold it (or it is revoked). */
  async revokeRole(participantId: string, role: string): Promise<boolean> {
    const result = await this.roles
      .createQueryBuilder()
      .update()
      .set({ chainStatus: "revoking", revokedAt: () => "now()", chainError: null })
      .where(`"participant_id" = :participantId AND "role" = :role AND "chain_status" NOT IN ('revoking', 'revoked')`, {
        participantId,
        role,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Adds sites (GLNs) to a participant; those it has already are kept once. */
  async addLocations(participantId: string, locations: readonly string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE "participant" SET "locations" = ARRAY(SELECT DISTINCT unnest("locations" || $2::text[]) ORDER BY 1) WHERE "id" = $1`,
      [participantId, locations],
    );
  }

  async addCompanyPrefixes(participantId: string, prefixes: readonly string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE "participant" SET "company_prefixes" = ARRAY(SELECT DISTINCT unnest("company_prefixes" || $2::text[]) ORDER BY 1)
       WHERE "id" = $1`,
      [participantId, prefixes],
    );
  }

  /** Participants that registered any of `prefixes` exactly. */
  async ownersOfPrefixes(
    prefixes: readonly string[],
  ): Promise<Array<{ id: string; organisation: string; prefix: string }>> {
    if (prefixes.length === 0) return [];
    return this.dataSource.query<Array<{ id: string; organisation: string; prefix: string }>>(
      `SELECT p."id", p."organisation", c."prefix" FROM "participant" p
       CROSS JOIN LATERAL unnest(p."company_prefixes") AS c("prefix") WHERE c."prefix" = ANY($1::text[])`,
      [prefixes],
    );
  }

  /**
   * The brand owner of a GTIN-14: the participant whose registered GS1 Company Prefix (the longest, if several
   * match) begins the GTIN after its indicator digit.
   */
  async brandOwnerOf(gtin: string): Promise<ParticipantRecord | undefined> {
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT p."id" FROM "participant" p CROSS JOIN LATERAL unnest(p."company_prefixes") AS c("prefix")
       WHERE substr($1::text, 2) LIKE c."prefix" || '%' ORDER BY length(c."prefix") DESC LIMIT 1`,
      [gtin],
    );
    return row === undefined ? undefined : this.findById(row.id);
  }

  /** Appends to a participant's role history (what the ledger did, with its transaction). */
  async recordRoleChange(
    participantId: string,
    role: string,
    action: "granted" | "revoked",
    txHash: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "participant_role_change" ("participant_id", "role", "action", "tx_hash") VALUES ($1, $2, $3, $4)`,
      [participantId, role, action, txHash],
    );
  }

  async roleHistory(participantId: string): Promise<RoleChangeRecord[]> {
    const rows = await this.dataSource.query<
      Array<{ role: string; action: "granted" | "revoked"; tx_hash: string | null; recorded_at: Date }>
    >(
      `SELECT "role", "action", "tx_hash", "recorded_at" FROM "participant_role_change" WHERE "participant_id" = $1
       ORDER BY "recorded_at", "id"`,
      [participantId],
    );
    return rows.map((row) => ({
      role: row.role,
      action: row.action,
      txHash: row.tx_hash,
      recordedAt: row.recorded_at,
    }));
  }

  /** Participants whose own GLN or registered sites include one of `glns`. */
  async findByGlns(glns: readonly string[]): Promise<Array<{ id: string; gln: string }>> {
    if (glns.length === 0) return [];
    return this.dataSource.query<Array<{ id: string; gln: string }>>(
      `SELECT p."id", g."gln" FROM "participant" p
       CROSS JOIN LATERAL unnest(CASE WHEN p."identifier_scheme" = 'gln' THEN p."locations" || p."identifier" ELSE p."locations" END) AS g("gln")
       WHERE g."gln" = ANY($1::text[])`,
      [glns],
    );
  }

  /** Every authenticated request reads its participant: see `withRoles` for why `find`, not `findOne`. */
  async findById(id: string): Promise<ParticipantRecord | undefined> {
    const [row] = await this.participants.find(withRoles({ id }));
    return row === undefined ? undefined : toRecord(row);
  }

  async findByAddress(address: string): Promise<ParticipantRecord | undefined> {
    const [row] = await this.participants.find(withRoles({ address }));
    return row === undefined ? undefined : toRecord(row);
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

  /**
   * Sets where the ledger stands on a role; with `onlyIf`, only while the role's status is one of those (false
   * otherwise: the administrator changed the role meanwhile, and the change is not overwritten).
   */
  async setRoleStatus(
    participantId: string,
    role: string,
    status: ChainStatus,
    txHash: string | null,
    error: string | null,
    onlyIf?: readonly ChainStatus[],
  ): Promise<boolean> {
    const where =
      onlyIf === undefined ? { participantId, role } : { participantId, role, chainStatus: In([...onlyIf]) };
    const result = await this.roles.update(where, { chainStatus: status, chainTxHash: txHash, chainError: error });
    return (result.affected ?? 0) > 0;
  }

  /**
   * The participant's own key, given once by its person (a self-custody participant awaiting it); false when it
   * has one already. The address must be no other participant's (PARTICIPANT.CONFLICT otherwise).
   */
  async setOwnKey(participantId: string, address: string): Promise<boolean> {
    const result = await this.participants
      .createQueryBuilder()
      .update()
      .set({ address, keyStatus: "set" })
      .where("id = :participantId AND key_status = 'awaiting'", { participantId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Roles the ledger has not confirmed yet, oldest first, with their participant's address; not those of a
   * participant whose key its person has not created yet (its address is a placeholder).
   */
  async rolesToSync(): Promise<
    Array<{ participantId: string; address: string; role: string; chainStatus: ChainStatus }>
  > {
    const rows = (await this.roles.find({ relations: { participant: true }, order: { updatedAt: "ASC" } })).filter(
      (row) => row.participant.keyStatus === "set",
    );
    return rows.map((row) => ({
      participantId: row.participantId,
      address: row.participant.address,
      role: row.role,
      chainStatus: row.chainStatus as ChainStatus,
    }));
  }

  /** One role as rolesToSync lists it; undefined if there is no such role or its participant has no key yet. */
  async roleToSync(
    participantId: string,
    role: string,
  ): Promise<{ participantId: string; address: string; role: string; chainStatus: ChainStatus } | undefined> {
    // The primary key names one row: `find` joins in one query, where findOne's LIMIT would add a second.
    const [row] = await this.roles.find({ where: { participantId, role }, relations: { participant: true } });
    if (row === undefined || row.participant.keyStatus !== "set") return undefined;
    return { participantId, address: row.participant.address, role, chainStatus: row.chainStatus as ChainStatus };
  }

  async addApiKey(participantId: string, apiKey: NewApiKey): Promise<void> {
    await this.keys.insert({ participantId, ...apiKey });
  }

  /**
   * A live (not revoked) key with its participant and roles, in one statement: every authenticated request asks,
   * and TypeORM's relation loading cost more CPU than the rest of an ordinary request's reads.
   */
  async findApiKey(id: string): Promise<{ secretSha256: Buffer; participant: ParticipantRecord } | undefined> {
    const [row] = await this.dataSource.query<ApiKeyRow[]>(
      `SELECT k."secret_sha256", p."id", p."organisation", p."identifier_scheme", p."identifier", p."display_name_zh",
         p."display_name_en", p."country", p."address", p."custodial", p."key_status", p."company_prefixes",
         p."locations", p."created_at",
         COALESCE((SELECT json_agg(json_build_object('role', r."role", 'chainStatus', r."chain_status",
             'chainTxHash', r."chain_tx_hash", 'chainError', r."chain_error", 'revokedAt', r."revoked_at"))
           FROM "participant_role" r WHERE r."participant_id" = p."id"), '[]') AS roles
       FROM "api_key" k JOIN "participant" p ON p."id" = k."participant_id"
       WHERE k."id" = $1 AND k."revoked_at" IS NULL`,
      [id],
    );
    return row === undefined ? undefined : { secretSha256: row.secret_sha256, participant: fromApiKeyRow(row) };
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
    // A revoked role is granted again; one held or being granted is left as it is.
    await manager.query(
      `INSERT INTO "participant_role" ("participant_id", "role", "chain_status")
       SELECT $1, unnest($2::text[]), 'pending'
       ON CONFLICT ("participant_id", "role") DO UPDATE
         SET "chain_status" = 'pending', "revoked_at" = NULL, "chain_error" = NULL, "updated_at" = now()
         WHERE "participant_role"."chain_status" = 'revoked'`,
      [participantId, roles],
    );
  }

  private async require(id: string): Promise<ParticipantRecord> {
    const record = await this.findById(id);
    if (record === undefined) throw new Error(`participant ${id} vanished`);
    return record;
  }
}

/**
 * A participant by a unique key (id, address), with its roles. Through `find`: `findOne` with a join runs two
 * queries (a DISTINCT id query for its LIMIT 1, then the rows), about twice the time and CPU of one joined query.
 */
function withRoles(where: FindOptionsWhere<ParticipantEntity>): FindManyOptions<ParticipantEntity> {
  return { where, relations: { roles: true } };
}

/** A participant's columns and roles, as an entity or a raw row holds them. */
type ParticipantFields = Omit<ParticipantEntity, "encryptedKey" | "roles"> & {
  readonly roles: ReadonlyArray<
    Pick<ParticipantRoleEntity, "role" | "chainStatus" | "chainTxHash" | "chainError" | "revokedAt">
  >;
};

function toRecord(row: ParticipantFields): ParticipantRecord {
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
    keyStatus: row.keyStatus === "awaiting" ? "awaiting" : "set",
    companyPrefixes: row.companyPrefixes,
    locations: row.locations,
    createdAt: row.createdAt,
    roles: [...row.roles]
      .sort((a, b) => a.role.localeCompare(b.role))
      .map((role) => ({
        role: role.role,
        chainStatus: role.chainStatus as ChainStatus,
        chainTxHash: role.chainTxHash,
        chainError: role.chainError,
        revokedAt: role.revokedAt,
      })),
  };
}

/** `findApiKey`'s row: the participant's columns, its roles as JSON (timestamps as text). */
interface ApiKeyRow {
  readonly secret_sha256: Buffer;
  readonly id: string;
  readonly organisation: string;
  readonly identifier_scheme: string;
  readonly identifier: string;
  readonly display_name_zh: string;
  readonly display_name_en: string;
  readonly country: string | null;
  readonly address: string;
  readonly custodial: boolean;
  readonly key_status: string;
  readonly company_prefixes: string[];
  readonly locations: string[];
  readonly created_at: Date;
  readonly roles: ReadonlyArray<Omit<ParticipantRoleRecord, "revokedAt"> & { readonly revokedAt: string | null }>;
}

function fromApiKeyRow(row: ApiKeyRow): ParticipantRecord {
  return toRecord({
    id: row.id,
    organisation: row.organisation,
    identifierScheme: row.identifier_scheme,
    identifier: row.identifier,
    displayNameZh: row.display_name_zh,
    displayNameEn: row.display_name_en,
    country: row.country,
    address: row.address,
    custodial: row.custodial,
    keyStatus: row.key_status,
    companyPrefixes: row.company_prefixes,
    locations: row.locations,
    createdAt: row.created_at,
    roles: row.roles.map((role) => ({
      ...role,
      revokedAt: role.revokedAt === null ? null : new Date(role.revokedAt),
    })),
  });
}
