import type { Lang } from "../labels/i18n.js";
import { escapeHtml } from "../labels/journey-page.js";

/** Words of the console's way-in pages, in both languages. */
const TEXTS = {
  en: {
    joinTitle: "Set up your sign-in",
    joinLead:
      "You were invited to record your company's batches in CarbonTrace. Choose a username and a passphrase: you will sign in with them on this phone or any other.",
    username: "Username",
    usernameHint: "3 to 40 letters, digits, dots or dashes, e.g. li.wei",
    passphrase: "Passphrase",
    passphraseHint: "At least 12 characters; a few words you will remember are best",
    confirm: "Passphrase again",
    join: "Set up and sign in",
    homeTitle: "Partner console",
    signInLead: "Sign in with the username and passphrase you chose when you were invited.",
    signIn: "Sign in",
    devices: "Where you are signed in",
    signOut: "Sign out",
    other: "中文",
    recordLink: "Record what happened",
    modelsLink: "Product models",
    modelsTitle: "Product models",
    modelsLead:
      "A product model names each stage of a product's chain, what it reports and its default factors: the forms, the footprint's stages and the journey page follow it. A brand owner declares its products' models here; a change is a new version, and earlier versions never change.",
    declareTitle: "Declare a model, or a new version",
    template: "Start from",
    modelId: "Model id",
    modelIdHint:
      "Lower-case letters, digits and dashes, e.g. teddy-bear; an id you declared before makes a new version",
    nameEn: "Name in English",
    nameZh: "Name in Chinese",
    gtins: "Products (GTIN-14, one per line)",
    gtinsHint: "Under your company's GS1 prefix",
    unitMass: "Mass of one piece (kg)",
    modelJson: "For experts: the whole model as JSON (stages, activities, factors, baseline); edit freely",
    declare: "Declare",
    recordTitle: "Record what happened",
    recordLead:
      "Choose what happened and fill it in as it is printed on the bag, label or delivery note. Nothing is recorded until you have checked the summary and pressed Record.",
    kind: "What happened?",
    used: "Lots used",
    usedHint: "How much of each of your lots went in (leave the others empty)",
    heldLot: "Lot",
    site: "Site",
    shipment: "Shipment",
    to: "Shipped to",
    mode: "Transport",
    distanceKm: "Distance (km)",
    lotsTitle: "Your lots",
    recordsTitle: "Your latest records",
    lotsEmpty: "No lots yet.",
    product: "Product",
    lotNumber: "Lot number",
    lotNumberHint: "As printed on the bag or label, e.g. 2025-118",
    quantity: "Quantity",
    unit: "Unit",
    date: "Date",
    time: "Time",
    photos: "Photos and delivery notes",
    photosHint: "Take a photo or choose files (JPEG, PNG, WebP, HEIC, PDF)",
    check: "Check before recording",
    record: "Record",
    summary: "What will be recorded",
    expert: "For experts: the exact EPCIS document",
    keyTitle: "Your signing key",
    keyCreateLead:
      "Your company signs its records with its own key. Create it on this phone: it is locked with a passphrase you choose and never leaves the phone. Then download the backup and keep it somewhere safe: the backup and its passphrase are the only way to sign again if this phone is lost.",
    keyCreatePassphrase: "Passphrase to lock the key",
    keyCreateConfirm: "Passphrase again",
    keyCreate: "Create my key",
    keyLead:
      "Your company signs its records with its own key. Open your key file once: it is kept on this phone, locked with a passphrase, and never sent anywhere.",
    keyFile: "Key file",
    keyPassphrase: "Passphrase to lock it on this phone",
    keyPassphraseHint: "At least 12 characters; for a keystore file, its own passphrase",
    keyKeep: "Keep the key on this phone",
    keyRemove: "Remove the key from this phone",
    keyBackup: "Download a backup (locked)",
    signPassphrase: "Passphrase of your key",
    client: {
      noInvitation:
        "This page needs the whole invitation link (with the part after #). Open the link you were sent again, or ask for a new one.",
      mismatch: "The two passphrases are not the same.",
      working: "One moment…",
      unreachable: "The service cannot be reached. Check your connection and try again.",
      signedInAs: "Signed in as {username} for {organisation}.",
      thisDevice: "This device",
      signOutDevice: "Sign this device out",
      lastSeen: "last used",
      noForms:
        "There is nothing for your company to record here yet: its roles have no stage in a product model. Ask the administrator.",
      keyHeld: "Your key for {address} is on this phone, locked with your passphrase.",
      keyWrong:
        "This key is not your company's registered key ({address}). Open the key file your company was registered with.",
      keyUnreadable: "The file is not a key file, or the passphrase does not open it.",
      keyNeeded: "Open your key file first (above): your records are signed on this phone.",
      signing: "Signing on this phone…",
      units: { kg: "kg", t: "t (tonnes)", pieces: "pieces" },
      uploading: "Uploading {done} of {total}: {percent} %",
      uploadFailed:
        "A file could not be uploaded. Check your connection and press the button again: files already sent are not sent twice.",
      summaryLine: "{product}, lot {lot}: {quantity} made on {date} at {time} ({zone}) by {organisation}.",
      activityLine: "{label}: {value} {unit}",
      filesLine: "{count} file(s) attached as evidence of this step.",
      footprintLine: "This step adds {total} kg CO₂e to the lot ({perUnit} kg per {unit}).",
      perUnit: { KGM: "kg", EA: "piece" },
      noWarnings: "No warnings: the figures are in the usual range for this step.",
      warningsTitle: "Please check before recording",
      recorded: "Recorded. The lot's record is stored and waits to be sealed on the ledger (a few seconds).",
      journey: "See the lot's journey page",
      another: "Record another lot",
      anchorStates: {
        pending: "Status: stored, waiting to be sealed on the ledger…",
        anchored: "Status: sealed on the ledger (transaction {tx}), waiting for finality…",
        final: "Status: final on the ledger (transaction {tx}).",
      },
      fields: {
        gtin: "Choose the product.",
        lotNumber:
          "Write the lot number as printed: 1 to 20 letters, digits or signs such as - / . (no spaces inside).",
        quantity: "Enter the quantity, above 0 (whole pieces for products counted in pieces).",
        date: "Enter the date the lot was made (not in the future).",
        time: "Enter the time as hours and minutes.",
        electricity: "Enter the electricity as a number above 0, or leave it empty.",
        site: "Your company has no GLN for its site: ask the administrator to register it.",
        keyPassphrase: "Choose a passphrase of at least 12 characters (for a keystore file, its own passphrase).",
        to: "Choose the partner the lot goes to.",
        distanceKm: "Enter the distance in km, above 0.",
        input: "Enter how much of this lot was used, above 0.",
        lot: "Choose a lot.",
        shipment: "Choose the shipment that arrived.",
      },
      kinds: {
        produce: "I made a lot",
        transform: "I made a lot from lots I hold",
        ship: "I shipped a lot to a partner",
        receive: "I received a shipment",
        store: "I stored a lot",
      },
      modes: { road: "Truck", rail: "Train", sea: "Ship (sea)", inland_waterway: "Barge (river, canal)" },
      available: "{amount} left",
      arriving: "{amount} on its way from {partner}",
      unknownSender: "another partner",
      nothingHeld: "You hold no lot for this yet: record a lot you made, or receive a shipment first.",
      nothingIncoming: "No shipment is addressed to you right now.",
      lotOption: "{product} · lot {lot} · {amount}",
      transformLine:
        "{organisation} used {inputs} and made {quantity} of {product}, lot {lot}, on {date} at {time} ({zone}).",
      inputLine: "{quantity} of lot {lot}",
      shipLine: "{organisation} ships {quantity} of {product}, lot {lot}, to {partner} on {date} at {time} ({zone}).",
      transportLine: "{mode}, {distance} km, carrying {mass} kg.",
      receiveLine:
        "{organisation} received {quantity} of {product}, lot {lot}, from {partner} on {date} at {time} ({zone}).",
      differenceLine:
        "That is {difference} less than the {shipped} shipped: only what arrived is recorded as received.",
      storeLine: "{organisation} stored {quantity} of {product}, lot {lot}, on {date} at {time} ({zone}).",
      problems: {
        "MASS_BALANCE.INSUFFICIENT_QUANTITY": "Only {remaining} of lot {lot} are left: {requested} cannot be used.",
        "LOT.EXCEEDS_HOLDING": "You hold only {held} of lot {lot}, not {requested}.",
        "LOT.NOT_RECEIVED": "Lot {lot} was shipped to you but is not received yet: record receiving it first.",
        "LOT.NO_SHIPMENT": "No shipment of lot {lot} (or not that much) is addressed to you.",
        "LOT.NOT_HOLDER": "Your company does not hold lot {lot}.",
        "LOT.NOT_ORIGINATOR": "Another company already made a lot numbered {lot}: use your own lot number.",
        "MASS_BALANCE.UNIT_MISMATCH": "Lot {lot} is counted in another unit.",
      },
      lotsHeld: "{amount} left",
      lotsLabel: "Printable label",
      lotsJourney: "Journey",
      meterPhoto: "Photo of the meter",
      recordKinds: {
        produce: "Made",
        transform: "Made from lots",
        ship: "Shipped",
        receive: "Received",
        store: "Stored",
      },
      recordStates: {
        pending: "stored, waiting to be sealed on the ledger",
        anchored: "sealed on the ledger (transaction {tx})",
        final: "final on the ledger (transaction {tx})",
      },
      modelLine: "{id} · version {version} · {origin}",
      origins: { "built-in": "shipped with CarbonTrace", declared: "declared {date}" },
      modelStages: "Stages: {stages}",
      modelProducts: "Products: {gtins}",
      declared: "Declared: {id}, version {version}.",
      jsonInvalid: "The JSON is not valid: {message}",
      modelProblems: "The model is not valid:",
    },
  },
  zh: {
    joinTitle: "设置登录方式",
    joinLead: "您受邀在 CarbonTrace 中记录本公司的批次。请设置用户名和口令，之后可在这部手机或其他设备上登录。",
    username: "用户名",
    usernameHint: "3 到 40 个字母、数字、点或连字符，例如 li.wei",
    passphrase: "口令",
    passphraseHint: "至少 12 个字符；几个容易记住的词最好",
    confirm: "再次输入口令",
    join: "设置并登录",
    homeTitle: "伙伴控制台",
    signInLead: "请使用受邀时设置的用户名和口令登录。",
    signIn: "登录",
    devices: "已登录的设备",
    signOut: "退出登录",
    other: "English",
    recordLink: "记录发生的事",
    modelsLink: "产品模型",
    modelsTitle: "产品模型",
    modelsLead:
      "产品模型列出产品链条的每个环节、各环节需要报告的数据及默认排放因子：表单、碳足迹的各阶段和溯源页面都依据它。品牌方在此声明其产品的模型；每次修改都是一个新版本，旧版本永不改变。",
    declareTitle: "声明模型或新版本",
    template: "以此为基础",
    modelId: "模型编号",
    modelIdHint: "小写字母、数字和连字符，例如 teddy-bear；使用以前声明过的编号即为新版本",
    nameEn: "英文名称",
    nameZh: "中文名称",
    gtins: "产品（GTIN-14，每行一个）",
    gtinsHint: "须在贵公司的 GS1 厂商识别代码之下",
    unitMass: "单件质量（千克）",
    modelJson: "供专业人士：完整模型 JSON（环节、活动、因子、基准），可直接编辑",
    declare: "声明",
    recordTitle: "记录发生的事",
    recordLead:
      "请选择发生了什么，并按袋子、标签或送货单上印的内容填写。在您核对摘要并点击“记录”之前，不会记录任何内容。",
    kind: "发生了什么？",
    used: "用掉的批次",
    usedHint: "填写每个批次用掉的数量（未用的留空）",
    heldLot: "批次",
    site: "场地",
    shipment: "货物",
    to: "发往",
    mode: "运输方式",
    distanceKm: "距离（公里）",
    lotsTitle: "您的批次",
    recordsTitle: "最近的记录",
    lotsEmpty: "还没有批次。",
    product: "产品",
    lotNumber: "批号",
    lotNumberHint: "与袋子或标签上印的一致，例如 2025-118",
    quantity: "数量",
    unit: "单位",
    date: "日期",
    time: "时间",
    photos: "照片与送货单",
    photosHint: "拍照或选择文件（JPEG、PNG、WebP、HEIC、PDF）",
    check: "记录前核对",
    record: "记录",
    summary: "将要记录的内容",
    expert: "供专业人士查看：完整的 EPCIS 文档",
    keyTitle: "您的签名密钥",
    keyCreateLead:
      "贵公司使用自己的密钥为记录签名。请在这部手机上创建密钥：它会用您设置的口令加密，且不会离开这部手机。创建后请下载备份并妥善保存：手机丢失时，只有备份和口令能让您继续签名。",
    keyCreatePassphrase: "加密密钥的口令",
    keyCreateConfirm: "再次输入口令",
    keyCreate: "创建我的密钥",
    keyLead:
      "贵公司使用自己的密钥为记录签名。请打开一次密钥文件：它会用口令加密后保存在这部手机上，不会发送到任何地方。",
    keyFile: "密钥文件",
    keyPassphrase: "在本手机上加密密钥的口令",
    keyPassphraseHint: "至少 12 个字符；如为 keystore 文件，请输入该文件自己的口令",
    keyKeep: "将密钥保存在本手机",
    keyRemove: "从本手机删除密钥",
    keyBackup: "下载备份（已加密）",
    signPassphrase: "密钥口令",
    client: {
      noInvitation: "此页面需要完整的邀请链接（包括 # 之后的部分）。请重新打开收到的链接，或申请新的邀请。",
      mismatch: "两次输入的口令不一致。",
      working: "请稍候…",
      unreachable: "无法连接服务，请检查网络后重试。",
      signedInAs: "已以 {username} 身份登录（{organisation}）。",
      thisDevice: "本设备",
      signOutDevice: "让此设备退出登录",
      lastSeen: "最近使用",
      noForms: "目前没有需要贵公司在此记录的内容：贵公司的角色在产品模型中没有对应环节。请联系管理员。",
      keyHeld: "地址 {address} 的密钥已保存在本手机上，并以您的口令加密。",
      keyWrong: "此密钥不是贵公司登记的密钥（{address}）。请打开贵公司登记时使用的密钥文件。",
      keyUnreadable: "该文件不是密钥文件，或口令无法打开它。",
      keyNeeded: "请先打开密钥文件（见上方）：记录将在本手机上签名。",
      signing: "正在本手机上签名…",
      units: { kg: "千克", t: "吨", pieces: "件" },
      uploading: "正在上传第 {done} 个，共 {total} 个：{percent}%",
      uploadFailed: "有文件未能上传。请检查网络后再次点击按钮：已上传的文件不会重复上传。",
      summaryLine: "{product}，批号 {lot}：{organisation} 于 {date} {time}（{zone}）生产 {quantity}。",
      activityLine: "{label}：{value} {unit}",
      filesLine: "已附 {count} 个文件作为此步骤的凭证。",
      footprintLine: "此步骤为该批次增加 {total} 千克二氧化碳当量（每{unit} {perUnit} 千克）。",
      perUnit: { KGM: "千克", EA: "件" },
      noWarnings: "没有提醒：数字在此步骤的常见范围内。",
      warningsTitle: "记录前请核对",
      recorded: "已记录。该批次的记录已保存，正在等待封存到账本（几秒钟）。",
      journey: "查看该批次的溯源页面",
      another: "再记录一批",
      anchorStates: {
        pending: "状态：已保存，正在等待封存到账本…",
        anchored: "状态：已封存到账本（交易 {tx}），正在等待最终确认…",
        final: "状态：已在账本上最终确认（交易 {tx}）。",
      },
      fields: {
        gtin: "请选择产品。",
        lotNumber: "请按印刷内容填写批号：1 到 20 个字母、数字或 - / . 等符号（中间不含空格）。",
        quantity: "请输入大于 0 的数量（按件计的产品须为整数）。",
        date: "请输入该批次的生产日期（不能晚于今天）。",
        time: "请按“时:分”输入时间。",
        electricity: "请输入大于 0 的用电量，或留空。",
        site: "贵公司尚未登记场地 GLN：请联系管理员登记。",
        keyPassphrase: "请设置至少 12 个字符的口令（如为 keystore 文件，请输入该文件自己的口令）。",
        to: "请选择收货伙伴。",
        distanceKm: "请输入大于 0 的距离（公里）。",
        input: "请输入该批次用掉的数量（大于 0）。",
        lot: "请选择批次。",
        shipment: "请选择到货的货物。",
      },
      kinds: {
        produce: "生产了一批产品",
        transform: "用持有的批次加工出新批次",
        ship: "向伙伴发出一批货",
        receive: "收到一批货",
        store: "入库存放一批货",
      },
      modes: { road: "公路货车", rail: "铁路", sea: "海运", inland_waterway: "内河航运" },
      available: "剩余 {amount}",
      arriving: "{partner} 发来 {amount}，尚未收货",
      unknownSender: "其他伙伴",
      nothingHeld: "您目前没有可用于此步骤的批次：请先记录自产批次或收货。",
      nothingIncoming: "目前没有发给您的货物。",
      lotOption: "{product} · 批号 {lot} · {amount}",
      transformLine: "{organisation} 于 {date} {time}（{zone}）用掉 {inputs}，生产 {product} {quantity}，批号 {lot}。",
      inputLine: "批次 {lot} {quantity}",
      shipLine: "{organisation} 于 {date} {time}（{zone}）将 {product} {quantity}（批号 {lot}）发往 {partner}。",
      transportLine: "{mode}，{distance} 公里，载重 {mass} 千克。",
      receiveLine:
        "{organisation} 于 {date} {time}（{zone}）收到 {partner} 发来的 {product} {quantity}（批号 {lot}）。",
      differenceLine: "比发货数量 {shipped} 少 {difference}：仅将实际到货记录为已收货。",
      storeLine: "{organisation} 于 {date} {time}（{zone}）入库存放 {product} {quantity}（批号 {lot}）。",
      problems: {
        "MASS_BALANCE.INSUFFICIENT_QUANTITY": "批次 {lot} 只剩 {remaining}，不能用掉 {requested}。",
        "LOT.EXCEEDS_HOLDING": "批次 {lot} 您只持有 {held}，不是 {requested}。",
        "LOT.NOT_RECEIVED": "批次 {lot} 已发给您但尚未收货：请先记录收货。",
        "LOT.NO_SHIPMENT": "没有发给您的批次 {lot} 的货物（或数量不足）。",
        "LOT.NOT_HOLDER": "贵公司未持有批次 {lot}。",
        "LOT.NOT_ORIGINATOR": "已有其他公司使用批号 {lot}：请使用贵公司自己的批号。",
        "MASS_BALANCE.UNIT_MISMATCH": "批次 {lot} 使用另一种计量单位。",
      },
      lotsHeld: "剩余 {amount}",
      lotsLabel: "可打印标签",
      lotsJourney: "溯源页面",
      meterPhoto: "电表照片",
      recordKinds: { produce: "生产", transform: "加工", ship: "发货", receive: "收货", store: "入库" },
      recordStates: {
        pending: "已保存，等待封存到账本",
        anchored: "已封存到账本（交易 {tx}）",
        final: "已在账本上最终确认（交易 {tx}）",
      },
      modelLine: "{id} · 第 {version} 版 · {origin}",
      origins: { "built-in": "CarbonTrace 自带", declared: "声明于 {date}" },
      modelStages: "环节：{stages}",
      modelProducts: "产品：{gtins}",
      declared: "已声明：{id}，第 {version} 版。",
      jsonInvalid: "JSON 格式有误：{message}",
      modelProblems: "模型有误：",
    },
  },
} as const;

export interface PageAssets {
  readonly script: string;
  readonly style: string;
  /** The self-custody signing module, imported by the script only when the partner keeps its own key. */
  readonly signing: string;
}

/** The page an invitation link opens: the person chooses a username and passphrase (the script sends them). */
export function joinPage(lang: Lang, assets: PageAssets): string {
  const t = TEXTS[lang];
  return page(
    lang,
    t.joinTitle,
    "join",
    assets,
    `
<h1>${escapeHtml(t.joinTitle)}</h1>
<p class="lead">${escapeHtml(t.joinLead)}</p>
<p id="message" role="alert" hidden></p>
<form id="join" novalidate>
  ${field("username", t.username, t.usernameHint, "text", "username")}
  ${field("passphrase", t.passphrase, t.passphraseHint, "password", "new-password")}
  ${field("confirm", t.confirm, "", "password", "new-password")}
  <button type="submit">${escapeHtml(t.join)}</button>
</form>`,
  );
}

/** The console's home: signed in, who and where; otherwise the sign-in form. */
export function homePage(lang: Lang, assets: PageAssets): string {
  const t = TEXTS[lang];
  return page(
    lang,
    t.homeTitle,
    "home",
    assets,
    `
<h1>${escapeHtml(t.homeTitle)}</h1>
<p id="message" role="alert" hidden></p>
<form id="sign-in" novalidate hidden>
  <p class="lead">${escapeHtml(t.signInLead)}</p>
  ${field("username", t.username, "", "text", "username")}
  ${field("passphrase", t.passphrase, "", "password", "current-password")}
  <button type="submit">${escapeHtml(t.signIn)}</button>
</form>
<section id="signed-in" hidden>
  <p id="who"></p>
  <p><a href="/console/record?lang=${lang}" id="record-link">${escapeHtml(t.recordLink)}</a> · <a href="/console/models?lang=${lang}" id="models-link">${escapeHtml(t.modelsLink)}</a></p>
  <h2>${escapeHtml(t.lotsTitle)}</h2>
  <ul id="lots" data-empty="${escapeHtml(t.lotsEmpty)}"></ul>
  <h2>${escapeHtml(t.recordsTitle)}</h2>
  <ul id="records" data-empty="${escapeHtml(t.lotsEmpty)}"></ul>
  <h2>${escapeHtml(t.devices)}</h2>
  <ul id="devices"></ul>
  <button type="button" id="sign-out">${escapeHtml(t.signOut)}</button>
</section>`,
  );
}

/** Recording a lot the partner made: the form is generated by the script from GET /console/forms. */
export function recordPage(lang: Lang, assets: PageAssets): string {
  const t = TEXTS[lang];
  return page(
    lang,
    t.recordTitle,
    "record",
    assets,
    `
<h1>${escapeHtml(t.recordTitle)}</h1>
<p class="lead">${escapeHtml(t.recordLead)}</p>
<p id="message" role="alert" hidden></p>
<section id="key" hidden>
  <h2>${escapeHtml(t.keyTitle)}</h2>
  <p id="key-status"></p>
  <form id="key-create" novalidate hidden>
    <p class="lead">${escapeHtml(t.keyCreateLead)}</p>
    ${field("newKeyPassphrase", t.keyCreatePassphrase, t.passphraseHint, "password", "new-password")}
    ${field("newKeyConfirm", t.keyCreateConfirm, "", "password", "new-password")}
    <button type="submit">${escapeHtml(t.keyCreate)}</button>
  </form>
  <form id="key-open" novalidate>
    <p class="lead">${escapeHtml(t.keyLead)}</p>
    <label>${escapeHtml(t.keyFile)}<input name="keyFile" type="file" accept=".key,.json,application/json,text/plain"></label>
    ${field("keyPassphrase", t.keyPassphrase, t.keyPassphraseHint, "password", "new-password")}
    <button type="submit">${escapeHtml(t.keyKeep)}</button>
  </form>
  <p id="key-held" hidden><a id="key-backup" download="carbontrace-keystore.json" href="#">${escapeHtml(t.keyBackup)}</a> · <button type="button" class="secondary" id="key-remove">${escapeHtml(t.keyRemove)}</button></p>
</section>
<form id="record" novalidate hidden>
  <label>${escapeHtml(t.kind)}<select name="kind"></select></label>
  <fieldset id="part-inputs" hidden>
    <legend>${escapeHtml(t.used)} <small id="inputs-hint">${escapeHtml(t.usedHint)}</small></legend>
    <div id="inputs"></div>
  </fieldset>
  <label id="part-held" hidden>${escapeHtml(t.heldLot)}<select name="lot"></select></label>
  <label id="part-incoming" hidden>${escapeHtml(t.shipment)}<select name="shipment"></select></label>
  <div id="part-made">
    <label>${escapeHtml(t.product)}<select name="product" required></select></label>
    ${field("lotNumber", t.lotNumber, t.lotNumberHint, "text", "off")}
  </div>
  <p id="part-empty" class="warning" hidden></p>
  <label id="part-site" hidden>${escapeHtml(t.site)}<select name="site"></select></label>
  <div class="pair">
    <label>${escapeHtml(t.quantity)}<input name="quantity" type="number" inputmode="decimal" min="0" step="any" required></label>
    <label>${escapeHtml(t.unit)}<select name="unit"></select></label>
  </div>
  <div class="pair">
    <label>${escapeHtml(t.date)}<input name="date" type="date" required></label>
    <label>${escapeHtml(t.time)}<input name="time" type="time" required></label>
  </div>
  <div id="part-to" hidden>
    <label>${escapeHtml(t.to)}<select name="to"></select></label>
    <div class="pair">
      <label>${escapeHtml(t.mode)}<select name="mode"></select></label>
      <label>${escapeHtml(t.distanceKm)}<input name="distanceKm" type="number" inputmode="decimal" min="0" step="any"></label>
    </div>
  </div>
  <div id="activities"></div>
  <label>${escapeHtml(t.photos)} <small id="photos-hint">${escapeHtml(t.photosHint)}</small><input name="photos" type="file" multiple accept="image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf" aria-describedby="photos-hint"></label>
  <progress id="upload-progress" max="100" value="0" aria-label="${escapeHtml(t.photos)}" hidden></progress>
  <button type="submit" id="check">${escapeHtml(t.check)}</button>
</form>
<section id="review" hidden aria-live="polite">
  <h2>${escapeHtml(t.summary)}</h2>
  <ul id="summary"></ul>
  <div id="warnings"></div>
  <details><summary>${escapeHtml(t.expert)}</summary><pre id="document"></pre></details>
  <label id="sign-label" hidden>${escapeHtml(t.signPassphrase)}<input name="signPassphrase" type="password" autocomplete="current-password"></label>
  <button type="button" id="record-now">${escapeHtml(t.record)}</button>
</section>
<section id="done" hidden aria-live="polite">
  <p id="done-text"></p>
  <p><a id="journey-link" href="/"></a></p>
  <p><a href="/console/record?lang=${lang}" id="another"></a></p>
  <!-- Last: its news (a transaction hash, over lines on a phone) arrives while a thumb reaches for a link above. -->
  <p id="anchor-status" role="status"></p>
</section>`,
  );
}

/** The product models, and (for brand owners) declaring one or a new version; filled in by the script. */
export function modelsPage(lang: Lang, assets: PageAssets): string {
  const t = TEXTS[lang];
  return page(
    lang,
    t.modelsTitle,
    "models",
    assets,
    `
<h1>${escapeHtml(t.modelsTitle)}</h1>
<p class="lead">${escapeHtml(t.modelsLead)}</p>
<p id="message" role="alert" hidden></p>
<ul id="models"></ul>
<h2>${escapeHtml(t.declareTitle)}</h2>
<form id="declare" novalidate hidden>
  <label>${escapeHtml(t.template)}<select name="template"></select></label>
  ${field("id", t.modelId, t.modelIdHint, "text", "off")}
  <div class="pair">
    ${field("nameEn", t.nameEn, "", "text", "off")}
    ${field("nameZh", t.nameZh, "", "text", "off")}
  </div>
  <label>${escapeHtml(t.gtins)} <small id="gtins-hint">${escapeHtml(t.gtinsHint)}</small><textarea name="gtins" rows="2" inputmode="numeric" aria-describedby="gtins-hint"></textarea></label>
  <label>${escapeHtml(t.unitMass)}<input name="unitMassKg" type="number" inputmode="decimal" min="0" step="any"></label>
  <details><summary>${escapeHtml(t.modelJson)}</summary><textarea name="json" rows="16" spellcheck="false"></textarea></details>
  <ul id="problems" class="warning"></ul>
  <button type="submit">${escapeHtml(t.declare)}</button>
</form>`,
  );
}

function field(name: string, label: string, hint: string, type: string, autocomplete: string): string {
  const hintHtml = hint === "" ? "" : ` <small id="${name}-hint">${escapeHtml(hint)}</small>`;
  const describedBy = hint === "" ? "" : ` aria-describedby="${name}-hint"`;
  return `<label>${escapeHtml(label)}${hintHtml}<input name="${name}" type="${type}" autocomplete="${autocomplete}" required${describedBy}${
    name === "username" ? ' autocapitalize="none" spellcheck="false"' : ""
  }></label>`;
}

function page(
  lang: Lang,
  title: string,
  kind: "join" | "home" | "record" | "models",
  assets: PageAssets,
  body: string,
): string {
  const t = TEXTS[lang];
  const other: Lang = lang === "zh" ? "en" : "zh";
  // JSON in a script element: "<" escaped so no text can close the element.
  const config = JSON.stringify({ page: kind, lang, texts: t.client, signingUrl: assets.signing }).replace(
    /</g,
    "\\u003c",
  );
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · CarbonTrace</title>
<link rel="stylesheet" href="${escapeHtml(assets.style)}">
<script type="application/json" id="console-config">${config}</script>
<script type="module" src="${escapeHtml(assets.script)}"></script>
</head>
<body>
<main>
<p><a href="?lang=${other}" hreflang="${other}" lang="${other === "zh" ? "zh-CN" : "en"}">${escapeHtml(t.other)}</a></p>
${body}
</main>
</body>
</html>
`;
}
