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
    client: {
      noInvitation: "此页面需要完整的邀请链接（包括 # 之后的部分）。请重新打开收到的链接，或申请新的邀请。",
      mismatch: "两次输入的口令不一致。",
      working: "请稍候…",
      unreachable: "无法连接服务，请检查网络后重试。",
      signedInAs: "已以 {username} 身份登录（{organisation}）。",
      thisDevice: "本设备",
      signOutDevice: "让此设备退出登录",
      lastSeen: "最近使用",
    },
  },
} as const;

export interface PageAssets {
  readonly script: string;
  readonly style: string;
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
  <h2>${escapeHtml(t.devices)}</h2>
  <ul id="devices"></ul>
  <button type="button" id="sign-out">${escapeHtml(t.signOut)}</button>
</section>`,
  );
}

function field(name: string, label: string, hint: string, type: string, autocomplete: string): string {
  const hintHtml = hint === "" ? "" : ` <small id="${name}-hint">${escapeHtml(hint)}</small>`;
  const describedBy = hint === "" ? "" : ` aria-describedby="${name}-hint"`;
  return `<label>${escapeHtml(label)}${hintHtml}<input name="${name}" type="${type}" autocomplete="${autocomplete}" required${describedBy}${
    name === "username" ? ' autocapitalize="none" spellcheck="false"' : ""
  }></label>`;
}

function page(lang: Lang, title: string, kind: "join" | "home", assets: PageAssets, body: string): string {
  const t = TEXTS[lang];
  const other: Lang = lang === "zh" ? "en" : "zh";
  // JSON in a script element: "<" escaped so no text can close the element.
  const config = JSON.stringify({ page: kind, lang, texts: t.client }).replace(/</g, "\\u003c");
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
