/** Words of the journey page in the two languages it speaks; plain words for anyone holding the product. */
export type Lang = "en" | "zh";

export const LANGS: readonly Lang[] = ["en", "zh"];

export const TEXT = {
  en: {
    title: "Where this product came from",
    lot: "Lot",
    unknownProduct: "Product",
    switchTo: "中文",
    footprint: "Carbon footprint",
    perUnit: "per unit",
    perKg: "per kg",
    total: "Whole lot",
    byStage: "At each stage",
    baseline: "Conventional product",
    reduction: "Reduced by",
    offsets: "Offsets retired for this lot",
    noOffsets: "No carbon credits have been retired for this lot.",
    registry: "Registry",
    project: "Project",
    vintage: "Vintage",
    serials: "Serial numbers",
    transaction: "Ledger transaction",
    pending: "waiting for the ledger",
    recycled: "Recycled content",
    recycledText: "{percent} % of the material in this product is recycled (from the supply chain's mass balance).",
    journey: "The journey",
    signedSelf: "signed by the partner's own key",
    signedCustodial: "signed for the partner by CarbonTrace (custodial key)",
    evidence: "Evidence",
    place: "Place",
    anchored: "Recorded on the ledger",
    recordsFailed:
      "Warning: the records behind this product no longer match what was sealed on the ledger. No claim about its footprint can be made.",
    corrected: "Corrected on {date} by {by}: this step was declared erroneous and does not count",
    notAnchored: "Not yet recorded on the ledger",
    attestations: "Independent checks",
    noAttestations: "No certifier has attested this lot yet.",
    verdict: "Verdict",
    verdicts: {
      verified: "verified",
      verified_with_qualifications: "verified, with qualifications",
      rejected: "rejected",
    },
    certifiedBy: "{name}, {date}",
    unknownCertifier: "a certifier",
    report: "Read the report",
    equivalents: "What that compares to",
    source: "Source",
    verify: "Check it yourself",
    verifyIntro:
      "Your browser re-checks every record behind this page: that no record was changed, who signed it, and that it is sealed on the public ledger. It does not need to trust us.",
    verifyButton: "Verify",
    verifyNow: "Verify now",
    flow: "The journey at a glance",
    showTechnical: "Show the technical detail",
    hideTechnical: "Hide the technical detail",
    stateUnchecked: "Not yet checked on this phone: one tap re-checks every signature, fingerprint and ledger record.",
    stateVerified: "Verified on this phone: nothing was altered.",
    stateFailed: "Verification failed: some records do not match what was sealed (see below).",
    stateIncomplete: "Partly verified: nothing failed, but some checks could not be done (see below).",
    stateUnavailable: "Could not verify now: the records could not be loaded.",
    verifying: "Checking…",
    passed: "✓",
    failed: "✗",
    skipped: "–",
    summaryPass: "All {passed} checks passed: nothing was altered.",
    summaryFail: "{failed} of {total} checks failed: some records do not match what was sealed.",
    summaryIncomplete:
      "Not fully verified: {passed} checks passed and none failed, but {skipped} could not be done. What could not be checked:",
    failedBy: "recorded by {partner} ({step})",
    notChecked: "{count} × {reason}",
    bundleUnavailable: "The records could not be loaded.",
    noRpc: "No public ledger address is configured: the ledger checks were skipped. ",
    noFootprint: "The footprint of this lot has not been calculated yet",
    factors: "Emission factors used",
    data: "Data for experts",
    proofBundle: "Proof bundle (JSON)",
    label: "Printable label",
    primaryData: "Measured data share",
    notFoundTitle: "Product not found",
    notFound:
      "We know no product lot under this code. Check the code on the package, or ask the seller. Nothing is wrong with your phone.",
    lotNotFound: "CarbonTrace has no lot {lot} of product {gtin}.",
    productNotFound: "CarbonTrace has no lot of product {gtin}.",
    badCodeTitle: "This code cannot be read",
    checkDigit:
      "The product number's last digit (its check digit) does not match the others: the code may be misprinted, damaged or mistyped.",
    badValue: "This is not a valid GS1 product code: {detail}",
    lots: "Lots of this product",
    site: "Site {gln}",
    siteExtension: "site {gln}, location {ext}",
    photo: "Photo",
    document: "Document",
    file: "File",
    pieces: "pieces",
    ledgerExplained:
      "Each step marked ✓ is sealed on a public ledger when it is recorded: any later change to it would show.",
    identityBaseline: "conventional",
    identityReduction: "reduction",
    identityFootprint: "footprint",
    identityOffset: "offsets retired",
    latestClaim: "Latest lot",
    recorded: "recorded",
  },
  zh: {
    title: "这件产品从哪里来",
    lot: "批次",
    unknownProduct: "产品",
    switchTo: "English",
    footprint: "碳足迹",
    perUnit: "每件",
    perKg: "每千克",
    total: "整批",
    byStage: "各环节",
    baseline: "常规产品",
    reduction: "已减少",
    offsets: "为本批次注销的碳信用",
    noOffsets: "本批次尚未注销碳信用。",
    registry: "登记机构",
    project: "项目",
    vintage: "年份",
    serials: "序列号",
    transaction: "账本交易",
    pending: "等待上链",
    recycled: "再生材料含量",
    recycledText: "本产品 {percent}% 的材料为再生料（依据供应链物料平衡）。",
    journey: "产品旅程",
    signedSelf: "由合作伙伴自己的密钥签名",
    signedCustodial: "由 CarbonTrace 代合作伙伴签名（托管密钥）",
    evidence: "凭证",
    place: "地点",
    anchored: "已记录在账本上",
    recordsFailed: "警告：本产品背后的记录与账本上封存的内容不再一致，无法对其碳足迹作出任何声明。",
    corrected: "已于 {date} 由 {by} 更正：此步骤被声明为错误记录，不计入",
    notAnchored: "尚未记录在账本上",
    attestations: "独立核查",
    noAttestations: "尚无核查机构对本批次出具证明。",
    verdict: "结论",
    verdicts: { verified: "核查通过", verified_with_qualifications: "有保留意见地通过", rejected: "未通过" },
    certifiedBy: "{name}，{date}",
    unknownCertifier: "核查机构",
    report: "阅读核查报告",
    equivalents: "相当于",
    source: "来源",
    verify: "自己核验",
    verifyIntro:
      "您的浏览器会重新核对本页背后的每一条记录：记录是否被改动、由谁签名、是否已封存在公共账本上。无需信任我们。",
    verifyButton: "核验",
    verifyNow: "立即核验",
    flow: "旅程一览",
    showTechnical: "显示技术细节",
    hideTechnical: "隐藏技术细节",
    stateUnchecked: "尚未在本机核验：点一下即可重新核对每个签名、指纹和账本记录。",
    stateVerified: "已在本机核验：没有任何改动。",
    stateFailed: "核验未通过：部分记录与封存的内容不符（见下文）。",
    stateIncomplete: "部分核验：没有未通过的项目，但有些项目暂时无法核对（见下文）。",
    stateUnavailable: "暂时无法核验：记录未能加载。",
    verifying: "正在核验…",
    passed: "✓",
    failed: "✗",
    skipped: "–",
    summaryPass: "全部 {passed} 项核验通过：没有任何改动。",
    summaryFail: "{total} 项核验中有 {failed} 项未通过：部分记录与封存的内容不符。",
    summaryIncomplete: "尚未完全核验：{passed} 项通过、无一未通过，但有 {skipped} 项无法进行。无法核验的内容：",
    failedBy: "由 {partner} 记录（{step}）",
    notChecked: "{count} 项：{reason}",
    bundleUnavailable: "无法加载记录。",
    noRpc: "未配置公共账本地址：已跳过账本核验。",
    noFootprint: "本批次的碳足迹尚未计算",
    factors: "使用的排放因子",
    data: "给专业人士的数据",
    proofBundle: "证明包（JSON）",
    label: "可打印标签",
    primaryData: "实测数据占比",
    notFoundTitle: "未找到产品",
    notFound: "我们没有找到这个编码对应的产品批次。请核对包装上的编码，或咨询商家。您的手机没有问题。",
    lotNotFound: "CarbonTrace 中没有产品 {gtin} 的批次 {lot}。",
    productNotFound: "CarbonTrace 中没有产品 {gtin} 的任何批次。",
    badCodeTitle: "无法识别此编码",
    checkDigit: "产品编码的最后一位（校验位）与其他数字不符：编码可能印错、损坏或输错。",
    badValue: "这不是有效的 GS1 产品编码：{detail}",
    lots: "本产品的批次",
    site: "站点 {gln}",
    siteExtension: "站点 {gln}，位置 {ext}",
    photo: "照片",
    document: "文件",
    file: "附件",
    pieces: "件",
    ledgerExplained: "标有 ✓ 的每个步骤在记录时已封存到公共账本上：之后的任何改动都会被发现。",
    identityBaseline: "常规产品",
    identityReduction: "减少",
    identityFootprint: "碳足迹",
    identityOffset: "已注销抵消",
    latestClaim: "最新批次",
    recorded: "记录于",
  },
} satisfies Record<Lang, Record<string, unknown>>;

/**
 * Why the verifier could not do checks (its English reason, recognised by the words it contains), in plain words
 * in both languages, for the "what could not be checked" list; a reason not listed is shown as the verifier wrote it.
 */
export const SKIP_REASONS: ReadonlyArray<{ readonly contains: string; readonly en: string; readonly zh: string }> = [
  { contains: "not anchored yet", en: "not sealed on the ledger yet", zh: "尚未封存到账本" },
  { contains: "no ledger source given", en: "no public ledger address is configured", zh: "未配置公共账本地址" },
  { contains: "the ledger could not be read", en: "the ledger could not be read", zh: "无法读取账本" },
  {
    contains: "the evidence source could not be reached",
    en: "the evidence source could not be reached",
    zh: "无法获取证据文件",
  },
  { contains: "no evidence source", en: "no source for the evidence files", zh: "没有证据文件的来源" },
  { contains: "carries no claim to verify", en: "the records carry no claim to check", zh: "记录中没有可核验的声明" },
  {
    contains: "retirements the ledger could not confirm",
    en: "the retired offsets could not be confirmed on the ledger",
    zh: "无法在账本上确认已注销的碳抵消",
  },
  { contains: "has no upstream event", en: "a lot's origin is not in the records", zh: "有批次的来源不在记录中" },
];

/** The verifier's checks (libs/proof) in plain words, for the Verify result; the technical id stays beside them. */
export const CHECK_NAMES: Readonly<Record<string, { en: string; zh: string }>> = {
  "bundle.format": { en: "The proof bundle is complete and readable", zh: "证明包完整且可读" },
  "bundle.digest": { en: "The proof bundle is the one sealed", zh: "证明包与封存的一致" },
  "ledger.chain": { en: "The ledger is the one the records name", zh: "账本与记录所指的一致" },
  "event.hash": { en: "A step's record was not altered", zh: "步骤记录未被改动" },
  "event.signature": { en: "A step was signed by its partner's key", zh: "步骤由合作伙伴的密钥签名" },
  "event.role": { en: "The partner may record this kind of step", zh: "合作伙伴有权记录此类步骤" },
  "event.policy": { en: "The step follows the recording rules", zh: "步骤符合记录规则" },
  "event.location": { en: "The step happened at the partner's own site", zh: "步骤发生在合作伙伴自己的站点" },
  "event.custody": { en: "The partner held the lot it recorded", zh: "合作伙伴持有所记录的批次" },
  "event.retraction": { en: "A correction was made by the step's own author", zh: "更正由步骤的原作者作出" },
  "event.merkle": { en: "A step is in a sealed batch", zh: "步骤在已封存的批次中" },
  "batch.anchored": { en: "A sealed batch is on the public ledger", zh: "已封存的批次在公共账本上" },
  "declaration.hash": { en: "A correction's record was not altered", zh: "更正记录未被改动" },
  "declaration.signature": { en: "A correction was signed", zh: "更正已签名" },
  "declaration.signer": { en: "A correction was signed by the step's author", zh: "更正由步骤作者签名" },
  "declaration.merkle": { en: "A correction is in a sealed batch", zh: "更正在已封存的批次中" },
  "evidence.listed": { en: "Every piece of evidence is listed", zh: "所有凭证均已列出" },
  "evidence.cid": { en: "An evidence file is the one recorded", zh: "凭证文件与记录的一致" },
  "graph.complete": { en: "Every earlier step of the lot is included", zh: "本批次之前的所有步骤均已包含" },
  "footprint.library": { en: "The emission factors are the published ones", zh: "排放因子为已公布的版本" },
  "claim.footprint": { en: "The footprint adds up from the steps", zh: "碳足迹由各步骤累加得出" },
  "claim.identity": { en: "The label's claim follows from the figures", zh: "标签声明与数字相符" },
  "offset.retirement": { en: "The offsets were retired on the ledger for this lot", zh: "抵消已为本批次在账本上注销" },
  "attestation.signature": { en: "A certifier signed the attestation", zh: "核查机构签署了证明" },
  "attestation.recorded": { en: "The attestation is on the ledger", zh: "核查证明在账本上" },
};

/** Generic names of the ledger roles, for lots whose product has no model. */
const ROLES: Readonly<Record<string, { en: string; zh: string }>> = {
  supplier: { en: "Raw material", zh: "原料" },
  recycler: { en: "Material processing", zh: "材料加工" },
  moulder: { en: "Making the product", zh: "产品制造" },
  warehouse: { en: "Warehouse", zh: "仓储" },
  certifier: { en: "Certifier", zh: "核查机构" },
};

const BIZ_STEPS: Readonly<Record<string, { en: string; zh: string }>> = {
  commissioning: { en: "made", zh: "生产" },
  shipping: { en: "shipped", zh: "发货" },
  receiving: { en: "received", zh: "收货" },
  storing: { en: "stored", zh: "存储" },
  transforming: { en: "transformed", zh: "加工" },
  collecting: { en: "collected", zh: "收集" },
  packing: { en: "packed", zh: "包装" },
  loading: { en: "loaded", zh: "装货" },
  departing: { en: "departed", zh: "出发" },
  arriving: { en: "arrived", zh: "到达" },
  inspecting: { en: "inspected", zh: "检验" },
};

/** The stage names a product model gives the roles of its chain (the journey's `model`). */
export interface ModelStageNames {
  readonly stages: ReadonlyArray<{
    readonly role: string;
    readonly name: { readonly en: string; readonly zh: string };
  }>;
}

/**
 * "Recycling into pellets · made" / "再生造粒 · 生产": the product model's name for the role's stage when the lot
 * has a model, else the generic name of the role.
 */
export function stageName(
  role: string,
  bizStep: string | null,
  lang: Lang,
  model: ModelStageNames | null = null,
): string {
  const roleName = model?.stages.find((stage) => stage.role === role)?.name[lang] ?? ROLES[role]?.[lang] ?? role;
  if (bizStep === null) return roleName;
  return `${roleName} · ${BIZ_STEPS[bizStep]?.[lang] ?? bizStep}`;
}

/** The language of a request: `?lang=` first, then the best of Accept-Language, else English. */
export function languageOf(query: unknown, acceptLanguage: string | undefined): Lang {
  if (query === "zh" || query === "en") return query;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.tag !== "" && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}
