/**
 * Evidence files of the reference journey, generated as the partners would scan or photograph them: weighbridge
 * tickets (过磅单), delivery notes (送货单) and electricity meter photos. Each is an SVG document whose numbers
 * are the ones the events declare, so that a certifier comparing a file with its event finds them equal.
 */
import { RPET_FLOWS, RPET_PARTICIPANTS, type RpetLots, type ScenarioParticipant } from "./rpet.js";

export type EvidenceKind = "weighbridge-ticket" | "delivery-note" | "meter-photo";

/** The events of the journey that carry evidence. */
export type EvidenceSlot =
  | "baling"
  | "balesShipped"
  | "recyclingA"
  | "pelletsAShipped"
  | "pelletsBShipped"
  | "moulding"
  | "boxesShipped"
  | "fibre"
  | "fabricShipped"
  | "toyMaking"
  | "toysShipped";

export interface EvidenceDocument {
  readonly slot: EvidenceSlot;
  /** Who uploads it (the partner whose event it backs). */
  readonly participant: ScenarioParticipant["key"];
  readonly kind: EvidenceKind;
  readonly fileName: string;
  readonly svg: string;
  /** Width of the PNG to render, px. */
  readonly widthPx: number;
}

const nameOf = (key: ScenarioParticipant["key"]): ScenarioParticipant =>
  RPET_PARTICIPANTS.find((p) => p.key === key) as ScenarioParticipant;

/** Every evidence file of one run (its lot numbers make each file, and so each CID, new per run). */
export function rpetEvidenceDocuments(lots: RpetLots): EvidenceDocument[] {
  const f = RPET_FLOWS;
  return [
    weighbridge("baling", nameOf("supplier"), {
      ticket: `WB-${lots.bottleBales}`,
      date: "2025-09-01 07:42",
      plate: "浙A·3K721",
      goods: "PET 瓶砖 / PET bottle bales",
      lot: lots.bottleBales,
      grossKg: f.bottleBalesKg + 8350,
      tareKg: 8350,
    }),
    deliveryNote("balesShipped", nameOf("supplier"), nameOf("recyclerA"), {
      note: `DN-${lots.bottleBales}`,
      date: "2025-09-02",
      goods: "PET 瓶砖 / PET bottle bales",
      lot: lots.bottleBales,
      quantity: `${String(f.bottleBalesKg)} kg`,
      distanceKm: f.balesRoadKm,
      vehicle: "牵引车 articulated HGV",
    }),
    weighbridge("recyclingA", nameOf("recyclerA"), {
      ticket: `WB-${lots.pelletsA}`,
      date: "2025-09-04 18:10",
      plate: "— (厂内 in-plant)",
      goods: "rPET 切片 / rPET pellets",
      lot: lots.pelletsA,
      grossKg: f.pelletsAKg + 1040,
      tareKg: 1040,
    }),
    meterPhoto("recyclingA", nameOf("recyclerA"), {
      meter: "3300-1187-0456",
      date: "2025-09-04 18:05",
      startKWh: 48_215.2 + readingOffset(lots.pelletsA),
      kWh: f.recyclingAKWh,
    }),
    deliveryNote("pelletsAShipped", nameOf("recyclerA"), nameOf("moulder"), {
      note: `DN-${lots.pelletsA}`,
      date: "2025-09-06",
      goods: "rPET 切片 / rPET pellets",
      lot: lots.pelletsA,
      quantity: `${String(f.pelletsAKg)} kg`,
      distanceKm: f.pelletsARoadKm,
      vehicle: "牵引车 articulated HGV",
    }),
    deliveryNote("pelletsBShipped", nameOf("recyclerB"), nameOf("moulder"), {
      note: `DN-${lots.pelletsB}`,
      date: "2025-09-06",
      goods: "rPET 切片 / rPET pellets",
      lot: lots.pelletsB,
      quantity: `${String(f.pelletsBKg)} kg`,
      distanceKm: f.pelletsBRoadKm,
      vehicle: "牵引车 articulated HGV",
    }),
    meterPhoto("moulding", nameOf("moulder"), {
      meter: "3100-2261-0912",
      date: "2025-09-10 20:30",
      startKWh: 126_804.7 + readingOffset(lots.boxes),
      kWh: f.mouldingKWh,
    }),
    deliveryNote("boxesShipped", nameOf("moulder"), nameOf("warehouse"), {
      note: `DN-${lots.boxes}`,
      date: "2025-09-12",
      goods: "rPET 收纳盒 12 升 / rPET storage box 12 L",
      lot: lots.boxes,
      quantity: `${String(f.boxes)} 个 pcs (${String(f.boxes * f.boxKg)} kg)`,
      distanceKm: f.boxesRoadKm,
      vehicle: "单体货车 rigid HGV",
    }),
  ];
}

const FONT = `font-family="sans-serif"`;

/** Meters run on between batches: each run's photo shows a later reading (derived from its lot number). */
export function readingOffset(lot: string): number {
  let hash = 0;
  for (const char of lot) hash = (hash * 31 + char.charCodeAt(0)) % 100_000;
  return hash / 10;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

function text(x: number, y: number, content: string, size = 18, extra = ""): string {
  return `<text x="${String(x)}" y="${String(y)}" font-size="${String(size)}" ${extra}>${esc(content)}</text>`;
}

function rows(x: number, y: number, pairs: ReadonlyArray<readonly [string, string]>, gap = 34): string {
  return pairs
    .map(([label, value], i) => text(x, y + i * gap, label, 17, `fill="#555"`) + text(x + 250, y + i * gap, value, 19))
    .join("");
}

/** A thermal-printed ticket, slightly rotated as on a scan. */
export function weighbridge(
  slot: EvidenceSlot,
  owner: ScenarioParticipant,
  t: {
    ticket: string;
    date: string;
    plate: string;
    goods: string;
    lot: string;
    grossKg: number;
    tareKg: number;
  },
): EvidenceDocument {
  const body = [
    text(40, 60, owner.displayName.zh, 24, `font-weight="bold"`),
    text(40, 92, owner.displayName.en, 16, `fill="#444"`),
    text(40, 140, "过磅单 Weighbridge ticket", 28, `font-weight="bold"`),
    rows(40, 190, [
      ["单号 Ticket", t.ticket],
      ["日期 Date", t.date],
      ["车号 Vehicle", t.plate],
      ["货物 Goods", t.goods],
      ["批号 Lot", t.lot],
      ["毛重 Gross", `${t.grossKg.toLocaleString("en")} kg`],
      ["皮重 Tare", `${t.tareKg.toLocaleString("en")} kg`],
    ]),
    text(40, 450, "净重 Net", 22, `font-weight="bold"`),
    text(290, 450, `${(t.grossKg - t.tareKg).toLocaleString("en")} kg`, 30, `font-weight="bold"`),
    text(40, 510, `司磅员 Operator: ______   GLN ${owner.gln}`, 15, `fill="#555"`),
  ].join("");
  return {
    slot,
    participant: owner.key,
    kind: "weighbridge-ticket",
    fileName: `weighbridge-ticket-${t.lot}.png`,
    widthPx: 760,
    svg: page(760, 560, `<rect x="10" y="10" width="740" height="540" fill="#fbfaf4" stroke="#999"/>${body}`, -0.6),
  };
}

export function deliveryNote(
  slot: EvidenceSlot,
  sender: ScenarioParticipant,
  receiver: ScenarioParticipant,
  d: { note: string; date: string; goods: string; lot: string; quantity: string; distanceKm: number; vehicle: string },
): EvidenceDocument {
  const body = [
    text(40, 60, "送货单 Delivery note", 30, `font-weight="bold"`),
    text(520, 60, `No. ${d.note}`, 18),
    rows(40, 120, [
      ["发货方 From", sender.displayName.zh],
      ["", sender.displayName.en],
      ["收货方 To", receiver.displayName.zh],
      ["", receiver.displayName.en],
      ["日期 Date", d.date],
      ["货物 Goods", d.goods],
      ["批号 Lot", d.lot],
      ["数量 Quantity", d.quantity],
      ["运距 Distance", `${String(d.distanceKm)} km (road 公路)`],
      ["车型 Vehicle", d.vehicle],
    ]),
    `<line x1="40" y1="500" x2="330" y2="500" stroke="#333"/><line x1="430" y1="500" x2="720" y2="500" stroke="#333"/>`,
    text(40, 525, "发货人签字 Sender", 15, `fill="#555"`),
    text(430, 525, "收货人签字 Received by", 15, `fill="#555"`),
    `<ellipse cx="600" cy="470" rx="70" ry="40" fill="none" stroke="#c33" stroke-width="3" opacity="0.7"/>`,
    text(560, 477, "已收货", 22, `fill="#c33" opacity="0.7"`),
  ].join("");
  return {
    slot,
    participant: sender.key,
    kind: "delivery-note",
    fileName: `delivery-note-${d.lot}.png`,
    widthPx: 760,
    svg: page(760, 560, `<rect x="10" y="10" width="740" height="540" fill="#fff" stroke="#aaa"/>${body}`, 0.4),
  };
}

/** A phone photo of an electricity meter: the LCD shows the reading at the end of the run. */
export function meterPhoto(
  slot: EvidenceSlot,
  owner: ScenarioParticipant,
  m: { meter: string; date: string; startKWh: number; kWh: number },
): EvidenceDocument {
  const end = (m.startKWh + m.kWh).toFixed(1).padStart(9, "0");
  const body = [
    `<rect width="640" height="480" fill="#3b4048"/>`,
    `<rect x="90" y="40" width="460" height="400" rx="18" fill="#d9dcd6" stroke="#222" stroke-width="3"/>`,
    text(120, 90, "三相电子式电能表", 22, `fill="#222"`),
    text(120, 116, "Three-phase electronic energy meter", 14, `fill="#333"`),
    `<rect x="130" y="140" width="380" height="100" fill="#9fb79a" stroke="#333" stroke-width="4"/>`,
    text(150, 215, end, 56, `font-family="monospace" fill="#1d2a1b"`),
    text(445, 232, "kWh", 18, `fill="#1d2a1b"`),
    text(120, 290, `表号 Meter ${m.meter}`, 17, `fill="#222"`),
    text(120, 320, `3×220/380V  1.5(6)A  50Hz`, 15, `fill="#333"`),
    text(120, 350, `起始 Start ${m.startKWh.toFixed(1)} kWh`, 15, `fill="#333"`),
    text(120, 375, `本批 This run ${m.kWh.toFixed(1)} kWh`, 15, `fill="#333"`),
    `<circle cx="500" cy="380" r="10" fill="#c22"/>`,
    text(20, 468, m.date, 16, `fill="#ffb400"`),
  ].join("");
  return {
    slot,
    participant: owner.key,
    kind: "meter-photo",
    fileName: `meter-photo-${m.meter}-${m.date.slice(0, 10)}.png`,
    widthPx: 640,
    svg: page(640, 480, body, 0),
  };
}

function page(width: number, height: number, content: string, rotateDeg: number): string {
  const transform =
    rotateDeg === 0 ? "" : ` transform="rotate(${String(rotateDeg)} ${String(width / 2)} ${String(height / 2)})"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${String(width)}" height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" ${FONT}><rect width="100%" height="100%" fill="#e8e6df"/><g${transform}>${content}</g></svg>`;
}
