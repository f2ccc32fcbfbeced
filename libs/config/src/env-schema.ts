import { accessSync, constants, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { isAddress } from "ethers";

/** One environment variable: how it is documented, defaulted and parsed. */
export interface EnvVar<T> {
  readonly key: string;
  /** One line, shown in `.env.example` and README. */
  readonly description: string;
  /** Shown in `.env.example`; empty means "unset". */
  readonly example: string;
  readonly secret?: boolean;
  /** Returns the parsed value, or a string saying why the raw value is wrong. */
  readonly parse: (raw: string | undefined) => T | Invalid;
}

export class Invalid {
  constructor(readonly reason: string) {}
}

const blank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === "";

export function integer(min: number, max: number, fallback: number): (raw: string | undefined) => number | Invalid {
  return (raw) => {
    if (blank(raw)) return fallback;
    const value = Number(raw.trim());
    if (!Number.isInteger(value) || value < min || value > max) {
      return new Invalid(`must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}

export function oneOf<const T extends string>(
  values: readonly T[],
  fallback: T,
): (raw: string | undefined) => T | Invalid {
  return (raw) => {
    if (blank(raw)) return fallback;
    const value = raw.trim() as T;
    return values.includes(value) ? value : new Invalid(`must be one of ${values.join(", ")}, got "${raw}"`);
  };
}

export function url(protocols: readonly string[]): (raw: string | undefined) => string | undefined | Invalid {
  return (raw) => {
    if (blank(raw)) return undefined;
    try {
      const parsed = new URL(raw.trim());
      if (!protocols.includes(parsed.protocol)) {
        return new Invalid(`must be a ${protocols.join(" or ")} URL, got protocol "${parsed.protocol}"`);
      }
      return raw.trim();
    } catch {
      return new Invalid("must be a URL");
    }
  };
}

export function address(raw: string | undefined): string | undefined | Invalid {
  if (blank(raw)) return undefined;
  return isAddress(raw.trim())
    ? raw.trim()
    : new Invalid("must be a 20-byte hex address (0x…), checksummed if mixed case");
}

export function privateKey(raw: string | undefined): string | undefined | Invalid {
  if (blank(raw)) return undefined;
  // The value is a secret: the reason never echoes it.
  return /^0x[0-9a-fA-F]{64}$/.test(raw.trim()) ? raw.trim() : new Invalid("must be 0x followed by 64 hex digits");
}

/** A secret of at least `minLength` characters; the reason never echoes it. */
export function secret(minLength: number): (raw: string | undefined) => string | undefined | Invalid {
  return (raw) => {
    if (blank(raw)) return undefined;
    return raw.trim().length >= minLength ? raw.trim() : new Invalid(`must be at least ${minLength} characters`);
  };
}

export function hexKey(bytes: number): (raw: string | undefined) => string | undefined | Invalid {
  return (raw) => {
    if (blank(raw)) return undefined;
    const value = raw.trim().replace(/^0x/, "");
    return new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value)
      ? value.toLowerCase()
      : new Invalid(`must be ${bytes * 2} hex digits (${bytes} bytes)`);
  };
}

/** A local file path or an http(s) URL. */
export function pathOrUrl(cwd: string): (raw: string | undefined) => string | undefined | Invalid {
  return (raw) => {
    if (blank(raw)) return undefined;
    const value = raw.trim();
    if (/^https?:\/\//.test(value)) return url(["http:", "https:"])(value);
    return isAbsolute(value) ? value : resolve(cwd, value);
  };
}

/** An existing readable file, resolved against the working directory. */
export function filePath(cwd: string): (raw: string | undefined) => string | undefined | Invalid {
  return (raw) => {
    if (blank(raw)) return undefined;
    const value = raw.trim();
    const path = isAbsolute(value) ? value : resolve(cwd, value);
    try {
      accessSync(path, constants.R_OK);
      return path;
    } catch {
      return new Invalid(`cannot read the file "${path}"`);
    }
  };
}

/** An existing folder, resolved against the working directory. */
export function folderPath(cwd: string): (raw: string | undefined) => string | undefined | Invalid {
  return (raw) => {
    if (blank(raw)) return undefined;
    const value = raw.trim();
    const path = isAbsolute(value) ? value : resolve(cwd, value);
    try {
      return statSync(path).isDirectory() ? path : new Invalid(`"${path}" is not a folder`);
    } catch {
      return new Invalid(`cannot read the folder "${path}"`);
    }
  };
}

export function failpointList(raw: string | undefined): ReadonlySet<string> | Invalid {
  if (blank(raw)) return new Set();
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const bad = names.filter((name) => !/^[a-z][a-z-]*(\.[a-z-]+)+$/.test(name));
  return bad.length === 0 ? new Set(names) : new Invalid(`unknown failpoint name(s): ${bad.join(", ")}`);
}

export function directory(fallback: string, cwd: string): (raw: string | undefined) => string {
  return (raw) => {
    const value = blank(raw) ? fallback : raw.trim();
    return isAbsolute(value) ? value : resolve(cwd, value);
  };
}

export function host(raw: string | undefined): string | Invalid {
  if (blank(raw)) return "127.0.0.1";
  return /^[A-Za-z0-9.:-]+$/.test(raw.trim())
    ? raw.trim()
    : new Invalid(`must be a host name or IP address, got "${raw}"`);
}

/** Comma-separated origins (`https://host:port`), each normalised as `URL.origin` writes it. */
export function originList(raw: string | undefined): readonly string[] | Invalid {
  if (blank(raw)) return [];
  const origins: string[] = [];
  for (const item of raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")) {
    try {
      const parsed = new URL(item);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return new Invalid(`"${item}" is not http(s)`);
      origins.push(parsed.origin);
    } catch {
      return new Invalid(`"${item}" is not an origin such as https://host:8443`);
    }
  }
  return origins;
}
