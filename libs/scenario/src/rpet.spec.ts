import { describe, expect, it } from "@jest/globals";
import { parseDocument, prepareEvents, toText, type SupplyChainRole } from "#capture";
import { rpetEvidenceDocuments } from "./evidence.js";
import { lotUri, type EvidenceLinks } from "./document-parts.js";
import { RPET_FLOWS, RPET_GTINS, RPET_PARTICIPANTS, rpetDocuments, rpetLots } from "./rpet.js";

const lots = rpetLots("T1");
const links: EvidenceLinks = Object.fromEntries(
  rpetEvidenceDocuments(lots).map((doc, i) => [doc.slot, [{ cid: `bafkreicid${String(i)}`, kind: doc.kind }]]),
);
const roleOf = (key: string): SupplyChainRole => RPET_PARTICIPANTS.find((p) => p.key === key)?.role as SupplyChainRole;

function prepared(evidence: EvidenceLinks = links) {
  return rpetDocuments(lots, evidence).flatMap(({ participant, document }) =>
    prepareEvents(parseDocument(document), [roleOf(participant)], 100).map((event) => ({ participant, event })),
  );
}

describe("the reference rPET journey's documents", () => {
  it("pass capture's checks (schema, CarbonTrace extension, role policy) for the partner that sends them", () => {
    expect(prepared()).toHaveLength(12);
  });

  it("sign as four self-custody partners and one custodial supplier, with a self-custody certifier", () => {
    const custody = Object.fromEntries(RPET_PARTICIPANTS.map((p) => [p.key, p.custody]));
    expect(custody).toEqual({
      supplier: "custodial",
      recyclerA: "self",
      recyclerB: "self",
      moulder: "self",
      warehouse: "self",
      certifier: "self",
    });
  });

  it("link every evidence file to the event it backs, and meter photos to the metered electricity", () => {
    const cids = prepared().flatMap(({ event }) => event.evidenceCids);
    for (const files of Object.values(links)) for (const file of files ?? []) expect(cids).toContain(file.cid);
    const moulding = prepared().find(({ event }) => event.extension.process === "moulding")?.event;
    const meter = links.moulding?.find((file) => file.kind === "meter-photo")?.cid;
    expect(moulding?.extension.activity.electricity[0]?.evidenceCid).toBe(meter);
  });

  it("without evidence, carry no evidence links", () => {
    expect(prepared({}).flatMap(({ event }) => event.evidenceCids)).toEqual([]);
  });

  it("balance mass at the moulder: pellets in, boxes and regrind out, virgin PET and colourant bought in", () => {
    const moulding = prepared().find(({ event }) => event.extension.process === "moulding")?.event;
    const mass = (direction: string) =>
      (moulding?.movements ?? [])
        .filter((m) => m.direction === direction)
        .reduce((sum, m) => sum + (m.massKg === undefined ? Number.NaN : Number(toText(m.massKg))), 0);
    expect(mass("consumed")).toBe(RPET_FLOWS.pelletsAUsedKg + RPET_FLOWS.pelletsBUsedKg);
    expect(mass("produced")).toBe(RPET_FLOWS.boxes * RPET_FLOWS.boxKg + RPET_FLOWS.regrindKg);
    const materials = moulding?.extension.activity.materials.map((m) => [m.material, m.origin, m.massKg, m.epcClass]);
    // The recycled PET is the pellet lots themselves (named, so the yield check does not count it twice).
    expect(materials).toEqual([
      ["PET", "recycled", RPET_FLOWS.pelletsAUsedKg, lotUri(RPET_GTINS.pellets, lots.pelletsA)],
      ["PET", "recycled", RPET_FLOWS.pelletsBUsedKg, lotUri(RPET_GTINS.pellets, lots.pelletsB)],
      ["PET", "virgin", RPET_FLOWS.virginPetKg, undefined],
      ["colourant", "virgin", RPET_FLOWS.colourantKg, undefined],
    ]);
  });
});

describe("the journey's evidence files", () => {
  it("show the numbers their events declare", () => {
    const docs = rpetEvidenceDocuments(lots);
    const svg = (slot: string, kind: string) => docs.find((d) => d.slot === slot && d.kind === kind)?.svg ?? "";
    expect(svg("baling", "weighbridge-ticket")).toContain(`${RPET_FLOWS.bottleBalesKg.toLocaleString("en")} kg`);
    expect(svg("recyclingA", "weighbridge-ticket")).toContain(`${RPET_FLOWS.pelletsAKg.toLocaleString("en")} kg`);
    expect(svg("recyclingA", "meter-photo")).toContain(`${RPET_FLOWS.recyclingAKWh.toFixed(1)} kWh`);
    expect(svg("moulding", "meter-photo")).toContain(`${RPET_FLOWS.mouldingKWh.toFixed(1)} kWh`);
    expect(svg("boxesShipped", "delivery-note")).toContain(`${String(RPET_FLOWS.boxesRoadKm)} km`);
    expect(svg("boxesShipped", "delivery-note")).toContain(lots.boxes);
  });

  it("are new for every run (lot numbers and meter readings differ), so re-runs never reuse a file", () => {
    const svgs = (run: string) => rpetEvidenceDocuments(rpetLots(run)).map((d) => d.svg);
    const a = svgs("RUNA");
    const b = svgs("RUNB");
    a.forEach((svg, i) => expect(svg).not.toBe(b[i]));
  });

  it("are well-formed SVG with escaped text", () => {
    for (const doc of rpetEvidenceDocuments(rpetLots("<&>"))) {
      expect(doc.svg.startsWith("<svg ")).toBe(true);
      expect(doc.svg).not.toContain("<&>");
      if (doc.kind !== "meter-photo") expect(doc.svg).toContain("&#60;&#38;&#62;");
    }
  });
});
