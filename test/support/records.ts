// Small factories of the records services receive, for service unit tests (fields a test cares about are given).
import type { LotRecord, ParticipantRecord } from "#database";

export const GTIN = "09506000134352";

export function participantRecord(
  fields: Partial<ParticipantRecord> & Pick<ParticipantRecord, "id">,
): ParticipantRecord {
  return {
    organisation: `Org ${fields.id}`,
    identifierScheme: "gln",
    identifier: "9506000134352",
    displayNameZh: "参与者",
    displayNameEn: `Participant ${fields.id}`,
    country: "CN",
    address: "0x1111111111111111111111111111111111111111",
    custodial: true,
    keyStatus: "set",
    companyPrefixes: [],
    locations: [],
    createdAt: new Date("2026-01-01T00:00:00Z"),
    roles: [],
    ...fields,
  };
}

/** A lot of GTIN under its GS1 Digital Link URI (the id services and repositories use). */
export function lotRecord(lotNumber: string, fields: Partial<LotRecord> = {}): LotRecord {
  return {
    id: `https://id.gs1.org/01/${GTIN}/10/${lotNumber}`,
    gtin: GTIN,
    lotNumber,
    unit: "KGM",
    produced: "1000",
    consumed: "0",
    external: false,
    ...fields,
  };
}
