import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";
import { DomainError } from "#common";
import { projectRoot } from "#runtime";

/**
 * The journey page's and the partner console's scripts and styles, read once, compressed once at the highest settings (a consumer's phone on a
 * slow network gets the smallest bytes, and no request pays for compressing them), and published under a name
 * that carries their content hash: a page links the exact version it was rendered with, which browsers may keep
 * for a year (`immutable`); a new build gets a new name.
 */
export interface StaticAsset {
  readonly url: string;
  readonly type: string;
  readonly hash: string;
  readonly identity: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
}

const SOURCES = {
  script: { file: "dist/web/journey.js", name: "journey", extension: "js", type: "text/javascript; charset=utf-8" },
  /** Imported by the journey script only when the consumer asks to verify (the page's budget is for journey.js). */
  verifier: {
    file: "dist/web/journey-verify.js",
    name: "journey-verify",
    extension: "js",
    type: "text/javascript; charset=utf-8",
  },
  style: {
    file: "apps/api/src/labels/journey.css",
    name: "journey",
    extension: "css",
    type: "text/css; charset=utf-8",
  },
  consoleScript: {
    file: "dist/web/console.js",
    name: "console",
    extension: "js",
    type: "text/javascript; charset=utf-8",
  },
  /** Imported by the console script only for a self-custody partner (ethers' key handling is most of its bytes). */
  consoleSigning: {
    file: "dist/web/console-signing.js",
    name: "console-signing",
    extension: "js",
    type: "text/javascript; charset=utf-8",
  },
  consoleStyle: {
    file: "apps/api/src/console/console.css",
    name: "console",
    extension: "css",
    type: "text/css; charset=utf-8",
  },
} as const;

export type AssetKind = keyof typeof SOURCES;

const loaded = new Map<AssetKind, StaticAsset>();

/** The asset, loaded on first use; LABEL.ASSET_MISSING (503) when the build has not produced it. */
export function staticAsset(kind: AssetKind): StaticAsset {
  let asset = loaded.get(kind);
  if (asset === undefined) {
    asset = loadStaticAsset(kind);
    loaded.set(kind, asset);
  }
  return asset;
}

/** The asset read from the project at `root`: its bytes, content hash and compressed forms. */
export function loadStaticAsset(kind: AssetKind, root: string = projectRoot()): StaticAsset {
  const source = SOURCES[kind];
  const path = join(root, source.file);
  let identity: Buffer;
  try {
    identity = readFileSync(path);
  } catch (error) {
    throw new DomainError(
      "LABEL.ASSET_MISSING",
      "unavailable",
      `${source.file} is missing: run npm run build`,
      {},
      {
        cause: error,
      },
    );
  }
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 16);
  return {
    url: `/assets/${source.name}.${hash}.${source.extension}`,
    type: source.type,
    hash,
    identity,
    ...(builtForms(path, identity) ?? compressedForms(identity)),
  };
}

/**
 * The brotli and gzip files the build wrote beside a script (scripts/precompress-web.ts), when both are there and
 * hold these very bytes. Compressing the verifier script at brotli's highest quality took 0.9 s of CPU, on the event
 * loop, in every process that rendered its first journey page (2026-12-06); checking the build's files takes a few
 * milliseconds.
 */
function builtForms(path: string, identity: Buffer): { br: Buffer; gzip: Buffer } | undefined {
  try {
    const br = readFileSync(`${path}.br`);
    const gzip = readFileSync(`${path}.gz`);
    return brotliDecompressSync(br).equals(identity) && gunzipSync(gzip).equals(identity) ? { br, gzip } : undefined;
  } catch {
    return undefined;
  }
}

/** Both forms at their highest settings, as scripts/precompress-web.ts writes them: for the styles (a few kB, not built). */
function compressedForms(identity: Buffer): { br: Buffer; gzip: Buffer } {
  return {
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
    gzip: gzipSync(identity, { level: constants.Z_BEST_COMPRESSION }),
  };
}

/** The URLs a page links: content-hashed, or the plain names when the build is missing (those then answer 503). */
export function assetUrls(): { script: string; style: string } {
  return { script: assetUrl("script"), style: assetUrl("style") };
}

export function assetUrl(kind: AssetKind): string {
  try {
    return staticAsset(kind).url;
  } catch {
    return `/assets/${SOURCES[kind].name}.${SOURCES[kind].extension}`;
  }
}

/**
 * Which asset a file name asks for, and whether it is its current content-hashed name (cacheable for good) or
 * the plain name (kept for pages rendered before the names carried hashes: cached briefly). Undefined: no such
 * asset, or a hash that is not the current one.
 */
export function assetForFile(file: string): { asset: StaticAsset; immutable: boolean } | undefined {
  for (const kind of Object.keys(SOURCES) as AssetKind[]) {
    const { name, extension } = SOURCES[kind];
    if (file === `${name}.${extension}`) return { asset: staticAsset(kind), immutable: false };
    const match = new RegExp(`^${name}\\.([0-9a-f]{16})\\.${extension}$`).exec(file);
    if (match !== null) {
      const asset = staticAsset(kind);
      return match[1] === asset.hash ? { asset, immutable: true } : undefined;
    }
  }
  return undefined;
}
