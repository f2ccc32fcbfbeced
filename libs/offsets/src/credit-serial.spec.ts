import { describe, expect, it } from "@jest/globals";
import {
  formatSerial,
  parseCreditSerial,
  rangesOverlap,
  splitRange,
  subRange,
  type CreditSerialRange,
  type Registry,
} from "./credit-serial.js";

const NOW = { now: new Date("2026-06-30T12:00:00Z") };

const VERRA = "19381-941412555-941441125-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";
const GOLD = "GS1-1-KE-GS11603-16-2025-30256-110-5463";
const ACR = "ACR-FR-1129-2025-2917-30932 to 35143";
const CAR = "CAR-1-US-1335-31-983-KS-2025-9205-1 to 5000";
const CDM = "CDM-CN-CER-0-1001-2000-1-1234";

const parse = (serial: string, registry?: Registry): CreditSerialRange => parseCreditSerial(serial, registry, NOW);

/** Expects `fn` to throw a DomainError with this code (and, when given, naming this field). */
function expectError(fn: () => unknown, code: string, field?: string): void {
  const details = field === undefined ? expect.anything() : expect.objectContaining({ field });
  expect(fn).toThrow(expect.objectContaining({ name: "DomainError", code, kind: "invalid", details }));
}

/** The Verra example with one field replaced (0-based index among the 13 fields). */
function verraWith(index: number, value: string): string {
  const fields = VERRA.split("-");
  fields[index] = value;
  return fields.join("-");
}

describe("parseCreditSerial — Verra", () => {
  it("reads every field of a VCU block", () => {
    expect(parse(VERRA)).toEqual({
      registry: "VERRA",
      serialBlock: "19381-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
      projectId: "3005",
      vintage: 2022,
      vintageStart: "2022-01-01",
      vintageEnd: "2022-10-31",
      country: "CN",
      unitType: "VCU",
      firstSerial: 941412555n,
      lastSerial: 941441125n,
      // 941441125 − 941412555 + 1
      quantity: 28571n,
      canonical: VERRA,
    });
  });

  it("takes the year of the vintage end date as the vintage", () => {
    const spanning = verraWith(10, "01072021");
    expect(parse(spanning).vintage).toBe(2022);
    expect(parse(spanning).vintageStart).toBe("2021-07-01");
  });

  it("accepts a single credit and a serial with surrounding blanks", () => {
    const single = parse(`  ${verraWith(2, "941412555")}\n`);
    expect(single.quantity).toBe(1n);
    expect(single.canonical).toBe(verraWith(2, "941412555"));
  });

  it("drops leading zeros of serial numbers in the canonical form", () => {
    expect(parse(verraWith(1, "0941412555")).canonical).toBe(VERRA);
  });

  it("accepts 29 February in a leap year, 2000 included", () => {
    expect(parse(verraWith(11, "29022024")).vintageEnd).toBe("2024-02-29");
    expect(parse(verraWith(10, "29022000")).vintageStart).toBe("2000-02-29");
  });

  it.each([
    [1, "94141255a", "first serial number"],
    [2, "", "last serial number"],
    [0, "B19381", "batch"],
    [3, "VCX", "programme"],
    [4, "VER", "unit type"],
    [5, "13a", "methodology or other id"],
    [6, "APX", "registry code"],
    [7, "cn", "country"],
    [7, "CHN", "country"],
    [8, "x", "sector"],
    [9, "30O5", "project id"],
    [10, "1012022", "vintage start date"],
    [11, "3110202", "vintage end date"],
    [11, "31.10.2022", "vintage end date"],
    [12, "", "flag"],
  ])("refuses field %i = %j as OFFSET.SERIAL_FORMAT naming the %s", (index, value, field) => {
    expectError(() => parse(verraWith(index, value)), "OFFSET.SERIAL_FORMAT", field);
  });

  it("refuses a serial with a field missing or added", () => {
    expectError(() => parse(VERRA.replace("-13-", "-")), "OFFSET.SERIAL_FORMAT");
    expectError(() => parse(`${VERRA}-1`), "OFFSET.SERIAL_FORMAT");
  });

  it("refuses a first serial greater than the last as OFFSET.SERIAL_RANGE", () => {
    expectError(() => parse(verraWith(2, "941412554")), "OFFSET.SERIAL_RANGE", "firstSerial");
  });

  it.each([
    [10, "32012022", "vintage start date"],
    [10, "00012022", "vintage start date"],
    [10, "01132022", "vintage start date"],
    [10, "29022023", "vintage start date"],
    [11, "31042022", "vintage end date"],
    [11, "31002022", "vintage end date"],
  ])("refuses dates that do not exist: field %i = %s", (index, value, field) => {
    expectError(() => parse(verraWith(index, value)), "OFFSET.VINTAGE", field);
  });

  it("refuses a vintage that starts after it ends", () => {
    expectError(() => parse(verraWith(10, "01112022")), "OFFSET.VINTAGE");
  });

  it("accepts vintages from 1990 to next year, and nothing outside", () => {
    expect(parse(verraWith(10, "01011990")).vintageStart).toBe("1990-01-01");
    expect(parse(verraWith(11, "31122027")).vintage).toBe(2027);
    expectError(() => parse(verraWith(10, "31121989")), "OFFSET.VINTAGE", "vintage start date");
    expectError(() => parse(verraWith(11, "01012028")), "OFFSET.VINTAGE", "vintage end date");
  });

  it("judges the vintage against the current year by default", () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    expect(parseCreditSerial(verraWith(11, `3112${nextYear}`)).vintage).toBe(nextYear);
    expectError(() => parseCreditSerial(verraWith(11, `0101${nextYear + 1}`)), "OFFSET.VINTAGE");
  });
});

describe("parseCreditSerial — Gold Standard", () => {
  it("reads the last two fields as the range and keeps the batch in the block", () => {
    expect(parse(GOLD)).toEqual({
      registry: "GOLD_STANDARD",
      serialBlock: "GS1-1-KE-GS11603-16-2025-30256",
      projectId: "GS11603",
      vintage: 2025,
      country: "KE",
      firstSerial: 110n,
      lastSerial: 5463n,
      // 5463 − 110 + 1
      quantity: 5354n,
      canonical: GOLD,
    });
  });

  it.each([
    ["GSX-1-KE-GS11603-16-2025-30256-110-5463", "programme"],
    ["GS1-A-KE-GS11603-16-2025-30256-110-5463", "unit type code"],
    ["GS1-1-Ke-GS11603-16-2025-30256-110-5463", "country"],
    ["GS1-1-KE-11603-16-2025-30256-110-5463", "project id"],
    ["GS1-1-KE-GS11603-1b-2025-30256-110-5463", "product code"],
    ["GS1-1-KE-GS11603-16-25-30256-110-5463", "vintage"],
    ["GS1-1-KE-GS11603-16-2025-3025b-110-5463", "batch"],
    ["GS1-1-KE-GS11603-16-2025-30256-110-546e", "last serial number"],
  ])("refuses %s naming the %s", (serial, field) => {
    expectError(() => parse(serial), "OFFSET.SERIAL_FORMAT", field);
  });

  it("refuses a reversed range and an implausible vintage", () => {
    expectError(() => parse("GS1-1-KE-GS11603-16-2025-30256-5463-110"), "OFFSET.SERIAL_RANGE");
    expectError(() => parse("GS1-1-KE-GS11603-16-1989-30256-110-5463"), "OFFSET.VINTAGE", "vintage");
    expectError(() => parse("GS1-1-KE-GS11603-16-2028-30256-110-5463"), "OFFSET.VINTAGE", "vintage");
  });

  it("refuses a serial without its batch field", () => {
    expectError(() => parse("GS1-1-KE-GS11603-16-2025-110-5463"), "OFFSET.SERIAL_FORMAT");
  });
});

describe("parseCreditSerial — ACR and CAR", () => {
  it("reads an ACR serial", () => {
    expect(parse(ACR)).toEqual({
      registry: "ACR",
      serialBlock: "ACR-FR-1129-2025-2917",
      projectId: "1129",
      vintage: 2025,
      country: "FR",
      firstSerial: 30932n,
      lastSerial: 35143n,
      // 35143 − 30932 + 1
      quantity: 4212n,
      canonical: ACR,
    });
  });

  it("reads a CAR serial", () => {
    expect(parse(CAR)).toEqual({
      registry: "CAR",
      serialBlock: "CAR-1-US-1335-31-983-KS-2025-9205",
      projectId: "1335",
      vintage: 2025,
      country: "US",
      firstSerial: 1n,
      lastSerial: 5000n,
      quantity: 5000n,
      canonical: CAR,
    });
  });

  it('writes the canonical form with single spaces around "to"', () => {
    expect(parse("ACR-FR-1129-2025-2917-30932   to\t35143").canonical).toBe(ACR);
  });

  it.each([
    ["ACR-FR-1129-2025-2917-30932-35143", undefined],
    ["ACR-FR-1129-2025-2917-30932 to ", undefined],
    ["ACR-FR-1129-2025-30932 to 35143", undefined],
    ["ACR-F1-1129-2025-2917-30932 to 35143", "country"],
    ["ACR-FR-1129-2025-2917-30932 to 3514x", "last serial number"],
    ["ACR-FR-1129-20x5-2917-30932 to 35143", "vintage"],
    ["CAR-1-US-1335-31-983-ks-2025-9205-1 to 5000", "state"],
    ["CAR-1-US-1335-31-983-KS-2025-9205-1 to 5000 to 6000", undefined],
    ["CAR-1-US-1335-31-KS-2025-9205-1 to 5000", undefined],
    ["CAR-1-USA-1335-31-983-KS-2025-9205-1 to 5000", "country"],
  ])("refuses %j", (serial, field) => {
    expectError(() => parse(serial), "OFFSET.SERIAL_FORMAT", field);
  });

  it("refuses reversed ranges and implausible vintages", () => {
    expectError(() => parse("ACR-FR-1129-2025-2917-35143 to 30932"), "OFFSET.SERIAL_RANGE");
    expectError(() => parse("CAR-1-US-1335-31-983-KS-1985-9205-1 to 5000"), "OFFSET.VINTAGE", "vintage");
  });
});

describe("parseCreditSerial — CDM", () => {
  it("reads the documented format; without a vintage field the vintage is the period's last year", () => {
    expect(parse(CDM)).toEqual({
      registry: "CDM",
      serialBlock: "CDM-CN-CER-0-1-1234",
      projectId: "1234",
      vintage: 2012,
      country: "CN",
      unitType: "CER",
      firstSerial: 1001n,
      lastSerial: 2000n,
      quantity: 1000n,
      canonical: CDM,
    });
    expect(parse("CDM-IN-CER-0-1-5-2-99").vintage).toBe(2020);
  });

  it("reads an explicit vintage and keeps it out of the block", () => {
    const withVintage = parse(`${CDM}-2010`);
    expect(withVintage.vintage).toBe(2010);
    expect(withVintage.serialBlock).toBe(parse(CDM).serialBlock);
    expect(withVintage.canonical).toBe(`${CDM}-2010`);
  });

  it("accepts temporary and long-term CERs", () => {
    expect(parse("CDM-BR-tCER-3-1-10-1-77").unitType).toBe("tCER");
    expect(parse("CDM-BR-lCER-3-1-10-2-77").unitType).toBe("lCER");
  });

  it.each([
    ["CDM-CN-AAU-0-1001-2000-1-1234", "unit type"],
    ["CDM-CN-cer-0-1001-2000-1-1234", "unit type"],
    ["CDM-C1-CER-0-1001-2000-1-1234", "originating party"],
    ["CDM-CN-CER-x-1001-2000-1-1234", "supplementary unit type"],
    ["CDM-CN-CER-0-1001-2000-3-1234", "commitment period"],
    ["CDM-CN-CER-0-1001-2000-1-P1234", "project id"],
    ["CDM-CN-CER-0-1001-2000-1", undefined],
    ["CDM-CN-CER-0-1001-2000-1-1234-2010-1", undefined],
  ])("refuses %s", (serial, field) => {
    expectError(() => parse(serial), "OFFSET.SERIAL_FORMAT", field);
  });

  it("refuses a vintage after the commitment period and a reversed range", () => {
    expectError(() => parse(`${CDM}-2015`), "OFFSET.VINTAGE");
    expect(parse("CDM-CN-CER-0-1001-2000-2-1234-2015").vintage).toBe(2015);
    expectError(() => parse("CDM-CN-CER-0-2000-1001-1-1234"), "OFFSET.SERIAL_RANGE");
  });
});

describe("parseCreditSerial — registry", () => {
  it("recognises each registry and accepts the matching registry argument", () => {
    expect([VERRA, GOLD, ACR, CAR, CDM].map((serial) => parse(serial).registry)).toEqual([
      "VERRA",
      "GOLD_STANDARD",
      "ACR",
      "CAR",
      "CDM",
    ]);
    expect(parse(GOLD, "GOLD_STANDARD").quantity).toBe(5354n);
  });

  it("refuses a serial of another registry than the one asked for", () => {
    expectError(() => parse(VERRA, "GOLD_STANDARD"), "OFFSET.SERIAL_REGISTRY");
    expectError(() => parse(ACR, "CAR"), "OFFSET.SERIAL_REGISTRY");
  });

  it("refuses empty, overlong and unknown serials", () => {
    expectError(() => parse("   "), "OFFSET.SERIAL_FORMAT");
    expectError(() => parse(`${VERRA}${"0".repeat(200)}`), "OFFSET.SERIAL_FORMAT");
    expectError(() => parse("XYZ-1-2"), "OFFSET.SERIAL_FORMAT");
    expectError(() => parse("acr-fr-1129-2025-2917-30932 to 35143"), "OFFSET.SERIAL_FORMAT");
  });
});

describe("formatSerial", () => {
  it("writes a sub-range in each registry's format, and the result parses back into the same block", () => {
    const cases: [string, bigint, bigint, string][] = [
      [VERRA, 941412600n, 941412699n, "19381-941412600-941412699-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0"],
      [GOLD, 110n, 209n, "GS1-1-KE-GS11603-16-2025-30256-110-209"],
      [ACR, 35000n, 35143n, "ACR-FR-1129-2025-2917-35000 to 35143"],
      [CAR, 1n, 1n, "CAR-1-US-1335-31-983-KS-2025-9205-1 to 1"],
      [CDM, 1500n, 1999n, "CDM-CN-CER-0-1500-1999-1-1234"],
      [`${CDM}-2010`, 1001n, 1001n, "CDM-CN-CER-0-1001-1001-1-1234-2010"],
    ];
    for (const [serial, first, last, expected] of cases) {
      const holding = parse(serial);
      expect(formatSerial(holding, first, last)).toBe(expected);
      const part = parse(expected);
      expect(part.serialBlock).toBe(holding.serialBlock);
      expect(part.quantity).toBe(last - first + 1n);
    }
  });

  it("refuses a range outside the holding or reversed", () => {
    const holding = parse(GOLD);
    expectError(() => formatSerial(holding, 109n, 200n), "OFFSET.SERIAL_RANGE");
    expectError(() => formatSerial(holding, 200n, 5464n), "OFFSET.SERIAL_RANGE");
    expectError(() => formatSerial(holding, 300n, 200n), "OFFSET.SERIAL_RANGE");
  });
});

describe("subRange and splitRange", () => {
  it("takes the first credits of a holding", () => {
    const part = subRange(parse(VERRA), 1000);
    expect(part.firstSerial).toBe(941412555n);
    // 941412555 + 1000 − 1
    expect(part.lastSerial).toBe(941413554n);
    expect(part.quantity).toBe(1000n);
    expect(part.canonical).toBe("19381-941412555-941413554-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0");
    expect(part.serialBlock).toBe(parse(VERRA).serialBlock);
    expect(part.vintage).toBe(2022);
  });

  it("splits a holding into the part taken and the rest, which together cover it exactly", () => {
    const holding = parse(ACR);
    const { taken, remaining } = splitRange(holding, 12n);
    expect(taken.canonical).toBe("ACR-FR-1129-2025-2917-30932 to 30943");
    expect(remaining?.canonical).toBe("ACR-FR-1129-2025-2917-30944 to 35143");
    // 4212 − 12
    expect(remaining?.quantity).toBe(4200n);
    expect(rangesOverlap(taken, remaining!)).toBe(false);
  });

  it("leaves nothing when the whole holding is taken", () => {
    const { taken, remaining } = splitRange(parse(CAR), 5000);
    expect(taken.canonical).toBe(CAR);
    expect(remaining).toBeNull();
  });

  it.each([0, -1, 1.5, 5001, Number.NaN])("refuses to take %p credits out of 5000", (count) => {
    expectError(() => subRange(parse(CAR), count), "OFFSET.SERIAL_RANGE");
  });

  it("refuses a bigint count beyond the holding", () => {
    expectError(() => splitRange(parse(CAR), 5001n), "OFFSET.SERIAL_RANGE");
  });
});

describe("rangesOverlap", () => {
  const range = (block: string, first: bigint, last: bigint, registry: Registry = "GOLD_STANDARD") => ({
    registry,
    serialBlock: block,
    firstSerial: first,
    lastSerial: last,
  });
  const block = "GS1-1-KE-GS11603-16-2025-30256";

  it("finds shared credits in the same block: partial, contained, one credit at the edge", () => {
    expect(rangesOverlap(range(block, 110n, 200n), range(block, 150n, 300n))).toBe(true);
    expect(rangesOverlap(range(block, 110n, 5463n), range(block, 200n, 210n))).toBe(true);
    expect(rangesOverlap(range(block, 200n, 210n), range(block, 110n, 5463n))).toBe(true);
    expect(rangesOverlap(range(block, 110n, 200n), range(block, 200n, 200n))).toBe(true);
  });

  it("sees no overlap between adjacent ranges", () => {
    expect(rangesOverlap(range(block, 110n, 199n), range(block, 200n, 300n))).toBe(false);
    expect(rangesOverlap(range(block, 200n, 300n), range(block, 110n, 199n))).toBe(false);
  });

  it("keeps blocks apart: the same numbers in another batch or registry are other credits", () => {
    expect(rangesOverlap(range(block, 110n, 200n), range("GS1-1-KE-GS11603-16-2025-30257", 110n, 200n))).toBe(false);
    expect(rangesOverlap(range(block, 110n, 200n), range(block, 110n, 200n, "ACR"))).toBe(false);
  });

  it("catches a second retirement of credits already retired from a parsed holding", () => {
    const retired = subRange(parse(VERRA), 100);
    const again = parse("19381-941412600-941412700-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0");
    expect(rangesOverlap(retired, again)).toBe(true);
  });
});
