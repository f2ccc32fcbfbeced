import type { Claim, ClaimStatus } from "./claim.js";

export type ClaimLanguage = "en" | "zh";

/** What one of the label's figures is for: one unit (item) of the lot, or one kilogram of a lot counted by mass. */
export type ClaimBasis = "unit" | "kg";

export interface ClaimText {
  readonly headline: string;
  readonly sentence: string;
}

/**
 * A short headline and one or two sentences for consumers, from the label's rounded per-unit figures. The
 * words follow the status and never say more: "zero-carbon" only for that status, a reduction only when the
 * label shows one, an offset only as the amount actually retired.
 */
export function claimText(claim: Claim, lang: ClaimLanguage, basis: ClaimBasis = "unit"): ClaimText {
  const { baseline, reduction, footprint, offset } = claim.display;
  const figures: Figures = {
    footprint,
    offset,
    reduced: reduction === null || baseline === null ? null : { baseline, reduction },
    // Only a part of the footprint that shows as at least 0.01 kg is worth a sentence.
    partlyOffset: claim.status !== "zero-carbon" && offset !== "0.00",
    basis,
  };
  return lang === "zh" ? chinese(claim.status, figures) : english(claim.status, figures);
}

interface Figures {
  readonly footprint: string;
  readonly offset: string;
  readonly reduced: { readonly baseline: string; readonly reduction: string } | null;
  readonly partlyOffset: boolean;
  readonly basis: ClaimBasis;
}

function english(status: ClaimStatus, f: Figures): ClaimText {
  const making = f.basis === "kg" ? "Making one kilogram of this product" : "Making one unit";
  const lower =
    f.reduced === null
      ? ""
      : ` That is ${f.reduced.reduction} kg less than a conventional product (${f.reduced.baseline} kg).`;
  const part = f.partlyOffset ? ` Retired carbon credits offset ${f.offset} kg of these emissions.` : "";
  switch (status) {
    case "zero-carbon":
      return {
        headline: "Zero-carbon: every kilogram emitted is offset by retired credits",
        sentence: `${making} emits ${f.footprint} kg CO2e, all of it offset by retired carbon credits.${lower}`,
      };
    case "reduced":
      return {
        headline: "Reduced carbon: lower emissions than a conventional product",
        sentence: `${making} emits ${f.footprint} kg CO2e.${lower}${part}`,
      };
    case "measured":
      return {
        headline: "Carbon footprint measured",
        sentence: `${making} emits ${f.footprint} kg CO2e.${part}`,
      };
  }
}

function chinese(status: ClaimStatus, f: Figures): ClaimText {
  const each = f.basis === "kg" ? "每千克产品" : "每件产品";
  const lower = f.reduced === null ? "" : `比常规产品的${f.reduced.baseline}千克少${f.reduced.reduction}千克`;
  const part = f.partlyOffset ? `其中${f.offset}千克已由注销的碳信用抵消。` : "";
  switch (status) {
    case "zero-carbon":
      return {
        headline: "零碳：排放的每一千克都已由注销的碳信用抵消",
        sentence: `${each}排放${f.footprint}千克二氧化碳当量，${lower === "" ? "" : `${lower}，`}已全部由注销的碳信用抵消。`,
      };
    case "reduced":
      return {
        headline: "减碳：排放低于常规产品",
        sentence: `${each}排放${f.footprint}千克二氧化碳当量，${lower}。${part}`,
      };
    case "measured":
      return {
        headline: "已核算碳足迹",
        sentence: `${each}排放${f.footprint}千克二氧化碳当量。${part}`,
      };
  }
}
