import { beforeEach, describe, expect, it } from "@jest/globals";
import { CT_NAMESPACE } from "#capture";
import { RPET_STORAGE_BOX_MODEL } from "#footprint";
import type { FootprintInputs, LotRecord } from "#database";
import { FIXTURE_LIBRARY } from "../../../../test/support/footprint-fixtures.js";
import { InMemoryFootprints } from "../../../../test/support/in-memory/footprints.js";
import { InMemoryLots } from "../../../../test/support/in-memory/lots.js";
import { lotRecord, participantRecord } from "../../../../test/support/records.js";
import { LotAccess } from "../proofs/lot-access.js";
import { PublishFootprintDto } from "./footprints.dto.js";
import { FootprintService } from "./footprint.service.js";

const BASE_URL = "https://trace.example.com";
/** The GS1 Company Prefix of the records' GTIN (09506000134352: prefix 9506000, item 13435). */
const COMPANY_PREFIX = "9506000";
const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
const producer = participantRecord({ id: "8b0c7f4e-1111-4c6a-9a51-000000000001" });
const other = participantRecord({ id: "8b0c7f4e-2222-4c6a-9a51-000000000002" });
const NAMES = { productNameCompany: "rPET flakes", productDescription: "Washed rPET flakes" };
const details = body({ polymer: "PET", recycledShare: 1 });
/** The brand owner of the records' GTIN, with the GS1 Company Prefix it registered. */
const brandOwners = {
  brandOwnerOf: (gtin: string) =>
    Promise.resolve(
      gtin.slice(1).startsWith(COMPANY_PREFIX) ? { ...producer, companyPrefixes: [COMPANY_PREFIX] } : undefined,
    ),
};

/** A publication request as the validation pipe hands it over: the product's names, and these fields. */
function body(fields: Partial<PublishFootprintDto>): PublishFootprintDto {
  return Object.assign(new PublishFootprintDto(), NAMES, { polymer: "PET", recycledShare: 1 }, fields);
}

/** The lot's footprint inputs: one commissioning event by the producer, 10 kWh of CN-East grid power. */
function inputsOf(lot: LotRecord, anchored: boolean): FootprintInputs {
  const eventHash = `0x${"ab".repeat(32)}`;
  return {
    lots: [lot],
    events: [
      {
        eventHash,
        eventTime: new Date("2025-06-01T00:00:00Z"),
        bizStep: "https://ref.gs1.org/cbv/BizStep-commissioning",
        role: "recycler",
        context: [EPCIS_CONTEXT, { ct: CT_NAMESPACE }],
        body: {
          type: "ObjectEvent",
          eventTime: "2025-06-01T08:00:00.000+08:00",
          action: "ADD",
          "ct:activity": { "ct:electricity": [{ "ct:kWh": 10, "ct:gridRegion": "CN-East", "ct:basis": "measured" }] },
        },
        country: "CN",
        anchored,
      },
    ],
    movements: [{ eventHash, lotId: lot.id, direction: "produced", quantity: lot.produced, massKg: null }],
  };
}

describe("FootprintService: a lot read with its product model", () => {
  it("names the stages in the model's words and checks each reported intensity against the model's range", async () => {
    const lots = new InMemoryLots();
    const flakes = lotRecord("FLAKES-2", { produced: "100" });
    lots.add(flakes, [producer.id], { inputs: inputsOf(flakes, true) });
    const model = { ...RPET_STORAGE_BOX_MODEL, gtins: [flakes.gtin] };
    const service = new FootprintService(
      lots,
      new InMemoryFootprints(),
      { library: () => Promise.resolve(FIXTURE_LIBRARY) },
      new LotAccess(lots),
      brandOwners,
      { forGtin: (gtin) => Promise.resolve(gtin === flakes.gtin ? model : undefined) },
    );
    const view = await service.calculate(flakes.id);
    expect(view.model).toEqual({ id: "rpet-storage-box", version: 1, name: RPET_STORAGE_BOX_MODEL.name });
    expect(view.stages).toEqual([
      expect.objectContaining({
        stage: "recycler/commissioning",
        name: { en: "Recycling into rPET pellets", zh: "再生造粒" },
      }),
    ]);
    // 10 kWh for 100 kg of flakes: 0.1 kWh/kg, below the 0.3–1.2 the recycling stage expects.
    expect(view.intensityChecks).toEqual([
      expect.objectContaining({ stage: "recycling", activity: "electricity", value: 0.1, status: "below" }),
    ]);
  });
});

describe("FootprintService: publishing a lot's footprint over PACT", () => {
  let lots: InMemoryLots;
  let footprints: InMemoryFootprints;
  let service: FootprintService;
  const flakes = lotRecord("FLAKES-1", { produced: "100" });

  beforeEach(() => {
    lots = new InMemoryLots();
    lots.add(flakes, [producer.id], { inputs: inputsOf(flakes, true) });
    footprints = new InMemoryFootprints();
    service = new FootprintService(
      lots,
      footprints,
      { library: () => Promise.resolve(FIXTURE_LIBRARY) },
      new LotAccess(lots),
      brandOwners,
      { forGtin: () => Promise.resolve(undefined) },
    );
  });

  it("publishes an Active ProductFootprint of the producer, linked to the lot's proof bundle", async () => {
    const document = await service.publish(flakes.id, producer, details, BASE_URL);
    expect(document.precedingPfIds).toBeUndefined();
    expect(document).toMatchObject({
      companyIds: expect.arrayContaining([`urn:uuid:${producer.id}`]),
      productIds: [`urn:gtin:${flakes.gtin}`, "urn:epc:class:lgtin:9506000.013435.FLAKES-1"],
    });
    expect(JSON.stringify(document)).toContain(`${BASE_URL}/lots/${flakes.gtin}/FLAKES-1/bundle`);
    expect(footprints.published).toMatchObject([{ lotId: flakes.id, ownerId: producer.id, status: "Active" }]);
    // 10 kWh × 0.5 kg/kWh over 100 kg.
    expect(footprints.calculations[0]).toMatchObject({ totalKg: "5", perUnitKg: "0.05" });
  });

  it("refuses a participant none of whose events produced the lot", async () => {
    await expect(service.publish(flakes.id, other, details, BASE_URL)).rejects.toMatchObject({
      code: "FOOTPRINT.NOT_PRODUCER",
      kind: "forbidden",
    });
    expect(footprints.published).toEqual([]);
  });

  it("refuses while an event behind the footprint is not anchored (a recipient could not verify it)", async () => {
    lots.add(flakes, [producer.id], { inputs: inputsOf(flakes, false) });
    await expect(service.publish(flakes.id, producer, details, BASE_URL)).rejects.toMatchObject({
      code: "FOOTPRINT.NOT_ANCHORED",
      kind: "conflict",
    });
    expect(footprints.published).toEqual([]);
  });

  it("is valid until 3 years after its reference period by default, and never longer (PACT data model)", async () => {
    const published = (await service.publish(flakes.id, producer, details, BASE_URL)) as unknown as {
      validityPeriodEnd: string;
      pcf: { referencePeriodEnd: string };
    };
    const bound = new Date(published.pcf.referencePeriodEnd);
    expect(Number.isNaN(bound.getTime())).toBe(false);
    bound.setUTCFullYear(bound.getUTCFullYear() + 3);
    expect(new Date(published.validityPeriodEnd).getTime()).toBe(bound.getTime());
    const later = new Date(bound.getTime() + 86_400_000).toISOString();
    await expect(
      service.publish(flakes.id, producer, body({ validityPeriodEnd: later }), BASE_URL),
    ).rejects.toMatchObject({ code: "FOOTPRINT.VALIDITY_INVALID", details: { latest: bound.toISOString() } });
  });

  it("refuses a validity period that has already ended", async () => {
    await expect(
      service.publish(flakes.id, producer, body({ validityPeriodEnd: "2020-01-01T00:00:00Z" }), BASE_URL),
    ).rejects.toMatchObject({ code: "FOOTPRINT.VALIDITY_INVALID" });
  });

  it("needs the mass of one item for a lot counted in pieces, from the events or the data owner", async () => {
    const boxes = lots.add(lotRecord("BOXES-1", { unit: "EA", produced: "100" }), [producer.id]);
    lots.inputs.set(boxes.id, inputsOf(boxes, true));
    await expect(service.publish(boxes.id, producer, details, BASE_URL)).rejects.toMatchObject({
      code: "FOOTPRINT.MASS_UNKNOWN",
    });
    await expect(
      service.publish(boxes.id, producer, body({ productMassPerDeclaredUnitKg: 0.02 }), BASE_URL),
    ).resolves.toMatchObject({ productIds: expect.arrayContaining([`urn:gtin:${boxes.gtin}`]) });
  });

  it("needs the product's carbon content (polymer or kg of carbon)", async () => {
    const withoutCarbon = Object.assign(new PublishFootprintDto(), NAMES);
    await expect(service.publish(flakes.id, producer, withoutCarbon, BASE_URL)).rejects.toMatchObject({
      code: "FOOTPRINT.CARBON_CONTENT_REQUIRED",
    });
  });

  it("publishes a new version that names the one it replaces", async () => {
    const first = await service.publish(flakes.id, producer, details, BASE_URL);
    const second = await service.publish(flakes.id, producer, body({ comment: "v2" }), BASE_URL);
    expect(second.precedingPfIds).toEqual([first.id]);
    expect(footprints.published.map((p) => p.status)).toEqual(["Deprecated", "Active"]);
  });

  it("answers LOT.NOT_FOUND for a lot that does not exist", async () => {
    await expect(service.publish(lotRecord("NOPE").id, producer, details, BASE_URL)).rejects.toMatchObject({
      code: "LOT.NOT_FOUND",
    });
  });
});

describe("FootprintService: calculating a lot's footprint", () => {
  const flakes = lotRecord("FLAKES-2", { produced: "100" });

  it("reads a stored calculation for the same inputs instead of computing and storing it again", async () => {
    const lots = new InMemoryLots();
    lots.add(flakes, [producer.id], { inputs: inputsOf(flakes, true) });
    const footprints = new InMemoryFootprints();
    let saves = 0;
    const save = footprints.saveCalculation.bind(footprints);
    footprints.saveCalculation = (calculation) => {
      saves += 1;
      return save(calculation);
    };
    const service = new FootprintService(
      lots,
      footprints,
      { library: () => Promise.resolve(FIXTURE_LIBRARY) },
      new LotAccess(lots),
      brandOwners,
      { forGtin: () => Promise.resolve(undefined) },
    );
    const first = await service.calculate(flakes.id);
    const again = await service.calculate(flakes.id);
    expect(again).toEqual(first);
    expect(saves).toBe(1);
    expect(footprints.calculations).toHaveLength(1);
  });
});
