import type { DataSource } from "typeorm";
import { CaptureJobEntity } from "./entities/capture-job.entity.js";
import { EpcisEventEntity } from "./entities/epcis-event.entity.js";
import { ErrorDeclarationEntity } from "./entities/error-declaration.entity.js";

export interface StoredEvent {
  readonly eventHash: string;
  readonly eventId: string;
  readonly body: Record<string, unknown>;
  readonly context: unknown;
  readonly recordTime: Date;
  readonly participantId: string;
  readonly role: string;
  readonly signer: string;
  readonly signature: string;
  readonly custodial: boolean;
  readonly captureId: string;
  readonly errorDeclaration: Record<string, unknown> | null;
  /** Recording position (a sequence, as text: it is a bigint). */
  readonly seq: string;
}

/** A signed error declaration of a stored event (docs/authority.md). */
export interface StoredDeclaration {
  /** The id it is anchored under (bytes32 hex). */
  readonly id: string;
  readonly eventHash: string;
  /** The declaring event as captured. */
  readonly body: Record<string, unknown>;
  readonly context: unknown;
  readonly declaration: Record<string, unknown>;
  readonly participantId: string;
  readonly signer: string;
  readonly signature: string;
  readonly custodial: boolean;
  readonly recordTime: Date;
}

/** EPCIS SimpleEventQuery parameters we support; identifiers are canonical, CBV terms full URIs. */
export interface EventQuery {
  readonly eventTypes?: readonly string[];
  readonly bizSteps?: readonly string[];
  readonly dispositions?: readonly string[];
  readonly actions?: readonly string[];
  readonly bizLocations?: readonly string[];
  readonly readPoints?: readonly string[];
  readonly geEventTime?: Date;
  readonly ltEventTime?: Date;
  readonly geRecordTime?: Date;
  readonly ltRecordTime?: Date;
  /** MATCH_epc: epcList or childEPCs. */
  readonly matchEpc?: readonly string[];
  /** MATCH_anyEPC: any instance field, parentID included. */
  readonly matchAnyEpc?: readonly string[];
  /** MATCH_epcClass: quantityList or childQuantityList. */
  readonly matchEpcClass?: readonly string[];
  /** MATCH_anyEPCClass: any quantity list, inputs and outputs included. */
  readonly matchAnyEpcClass?: readonly string[];
  readonly limit: number;
  /** Keyset cursor: events strictly after this (recordTime, eventHash). */
  readonly after?: { readonly recordTime: Date; readonly eventHash: string };
  /** Only events recorded after this position, in recording order (subscriptions). */
  readonly afterSeq?: string;
}

export interface CaptureJobRecord {
  readonly id: string;
  readonly participantId: string;
  readonly eventCount: number;
  readonly createdCount: number;
  readonly createdAt: Date;
  readonly finishedAt: Date;
}

const REFERENCE_FIELDS = {
  matchEpc: ["epcList", "childEPCs"],
  matchAnyEpc: ["epcList", "childEPCs", "inputEPCList", "outputEPCList", "parentID"],
  matchEpcClass: ["quantityList", "childQuantityList"],
  matchAnyEpcClass: ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"],
} as const;

/** The oldest transaction still running (the snapshot's xmin), as a 32-bit xid comparable with a row's xmin. */
const SNAPSHOT_XMIN_XID = `((pg_snapshot_xmin(pg_current_snapshot())::text::numeric % 4294967296)::bigint)::text::xid`;

/** Reads events and capture jobs; the only code querying them. */
export class EventRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(query: EventQuery): Promise<StoredEvent[]> {
    const qb = this.dataSource.getRepository(EpcisEventEntity).createQueryBuilder("e");
    const inList = (column: string, name: string, values: readonly string[] | undefined): void => {
      if (values !== undefined && values.length > 0) qb.andWhere(`${column} IN (:...${name})`, { [name]: values });
    };
    inList("e.event_type", "eventTypes", query.eventTypes);
    inList("e.biz_step", "bizSteps", query.bizSteps);
    inList("e.disposition", "dispositions", query.dispositions);
    inList("e.action", "actions", query.actions);
    inList("e.biz_location", "bizLocations", query.bizLocations);
    inList("e.read_point", "readPoints", query.readPoints);
    if (query.geEventTime) qb.andWhere("e.event_time >= :geEventTime", { geEventTime: query.geEventTime });
    if (query.ltEventTime) qb.andWhere("e.event_time < :ltEventTime", { ltEventTime: query.ltEventTime });
    if (query.geRecordTime) qb.andWhere("e.record_time >= :geRecordTime", { geRecordTime: query.geRecordTime });
    if (query.ltRecordTime) qb.andWhere("e.record_time < :ltRecordTime", { ltRecordTime: query.ltRecordTime });
    for (const [key, fields] of Object.entries(REFERENCE_FIELDS) as Array<
      [keyof typeof REFERENCE_FIELDS, readonly string[]]
    >) {
      const uris = query[key];
      if (uris === undefined || uris.length === 0) continue;
      qb.andWhere(
        `EXISTS (SELECT 1 FROM "event_reference" r WHERE r.event_hash = e.event_hash AND r.field IN (:...${key}Fields) AND r.uri IN (:...${key}Uris))`,
        { [`${key}Fields`]: fields, [`${key}Uris`]: uris },
      );
    }
    if (query.after) {
      qb.andWhere("(e.record_time, e.event_hash) > (:afterTime, :afterHash)", {
        afterTime: query.after.recordTime,
        afterHash: query.after.eventHash,
      });
    }
    if (query.afterSeq !== undefined) {
      // Sequence numbers are taken before commit, so a lower one can become visible after a higher one. Only rows
      // written by transactions older than every transaction still running are read: none can appear below them.
      qb.andWhere("e.seq > :afterSeq", { afterSeq: query.afterSeq })
        .andWhere(`age("e"."xmin") > age(${SNAPSHOT_XMIN_XID})`)
        .orderBy("e.seq", "ASC");
    } else {
      qb.orderBy("e.record_time", "ASC").addOrderBy("e.event_hash", "ASC");
    }
    const rows = await qb.limit(query.limit).getMany();
    return rows.map(toStored);
  }

  /** The recording position of the newest event ("0" when there is none): where a new subscription starts. */
  async latestSeq(): Promise<string> {
    const [row] = await this.dataSource.query<Array<{ seq: string | null }>>(
      `SELECT max("seq")::text AS "seq" FROM "epcis_event"`,
    );
    return row?.seq ?? "0";
  }

  /** The recording position of the last event recorded before `time` ("0" when there is none). */
  async seqBefore(time: Date): Promise<string> {
    const [row] = await this.dataSource.query<Array<{ seq: string | null }>>(
      `SELECT max("seq")::text AS "seq" FROM "epcis_event" WHERE "record_time" < $1`,
      [time],
    );
    return row?.seq ?? "0";
  }

  async findByEventId(eventId: string): Promise<StoredEvent | undefined> {
    const repository = this.dataSource.getRepository(EpcisEventEntity);
    const row = (await repository.findOneBy({ eventId })) ?? (await repository.findOneBy({ eventHash: eventId }));
    return row === null ? undefined : toStored(row);
  }

  /** Events by hash, in the order asked. */
  async findByHashes(eventHashes: readonly string[]): Promise<StoredEvent[]> {
    if (eventHashes.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(EpcisEventEntity)
      .createQueryBuilder("e")
      .where("e.event_hash IN (:...eventHashes)", { eventHashes })
      .getMany();
    const byHash = new Map(rows.map((row) => [row.eventHash, toStored(row)]));
    return eventHashes.map((hash) => byHash.get(hash)).filter((event): event is StoredEvent => event !== undefined);
  }

  /** The error declarations of these events (those that have one), in recording order. */
  async declarationsOf(eventHashes: readonly string[]): Promise<StoredDeclaration[]> {
    if (eventHashes.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(ErrorDeclarationEntity)
      .createQueryBuilder("d")
      .where("d.event_hash IN (:...eventHashes)", { eventHashes })
      .orderBy("d.record_time")
      .addOrderBy("d.id")
      .getMany();
    return rows.map((row) => ({
      id: row.id,
      eventHash: row.eventHash,
      body: row.body,
      context: row.context,
      declaration: row.declaration,
      participantId: row.participantId,
      signer: row.signer,
      signature: row.signature,
      custodial: row.custodial,
      recordTime: row.recordTime,
    }));
  }

  async findCaptureJob(id: string): Promise<CaptureJobRecord | undefined> {
    const row = await this.dataSource.getRepository(CaptureJobEntity).findOneBy({ id });
    return row === null ? undefined : toJob(row);
  }

  async listCaptureJobs(participantId: string | undefined, limit: number): Promise<CaptureJobRecord[]> {
    const rows = await this.dataSource.getRepository(CaptureJobEntity).find({
      where: participantId === undefined ? {} : { participantId },
      order: { createdAt: "DESC" },
      take: limit,
    });
    return rows.map(toJob);
  }

  /** A participant's latest events, newest first, with the lots each names (the console's records list). */
  async recentOf(participantId: string, limit: number): Promise<RecentEventRecord[]> {
    const rows = await this.dataSource.query<
      Array<{ event_hash: string; biz_step: string | null; event_type: string; record_time: Date; lots: string[] }>
    >(
      `SELECT e."event_hash", e."biz_step", e."event_type", e."record_time",
              COALESCE(array_agg(DISTINCT m."lot_id") FILTER (WHERE m."lot_id" IS NOT NULL), '{}') AS lots
         FROM (SELECT * FROM "epcis_event" WHERE "participant_id" = $1 ORDER BY "record_time" DESC, "seq" DESC LIMIT $2) e
         LEFT JOIN "lot_movement" m ON m."event_hash" = e."event_hash"
        GROUP BY e."event_hash", e."biz_step", e."event_type", e."record_time", e."seq"
        ORDER BY e."record_time" DESC, e."seq" DESC`,
      [participantId, limit],
    );
    return rows.map((row) => ({
      eventHash: row.event_hash,
      bizStep: row.biz_step,
      eventType: row.event_type,
      recordTime: row.record_time,
      lots: row.lots,
    }));
  }

  async eventHashesOfCapture(captureId: string): Promise<Array<{ eventHash: string; eventId: string }>> {
    const rows = await this.dataSource
      .getRepository(EpcisEventEntity)
      .find({ where: { captureId }, select: { eventHash: true, eventId: true }, order: { recordTime: "ASC" } });
    return rows.map(({ eventHash, eventId }) => ({ eventHash, eventId }));
  }
}

/** One of a participant's events as its records list shows it. */
export interface RecentEventRecord {
  readonly eventHash: string;
  readonly bizStep: string | null;
  readonly eventType: string;
  readonly recordTime: Date;
  /** The lots (Digital Link URIs) it names. */
  readonly lots: readonly string[];
}

function toStored(row: EpcisEventEntity): StoredEvent {
  return {
    eventHash: row.eventHash,
    eventId: row.eventId,
    body: row.body,
    context: row.context,
    recordTime: row.recordTime,
    participantId: row.participantId,
    role: row.role,
    signer: row.signer,
    signature: row.signature,
    custodial: row.custodial,
    captureId: row.captureId,
    errorDeclaration: row.errorDeclaration,
    seq: row.seq,
  };
}

function toJob(row: CaptureJobEntity): CaptureJobRecord {
  return {
    id: row.id,
    participantId: row.participantId,
    eventCount: row.eventCount,
    createdCount: row.createdCount,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}
