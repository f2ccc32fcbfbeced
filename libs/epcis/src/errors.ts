import { DomainError } from "#common";

export function invalidEvent(message: string, details: Readonly<Record<string, unknown>> = {}): DomainError {
  return new DomainError("EPCIS.INVALID_EVENT", "invalid", message, details);
}

export function invalidDocument(message: string): DomainError {
  return new DomainError("EPCIS.INVALID_DOCUMENT", "invalid", message);
}

export function invalidEpc(value: string, scheme: string): DomainError {
  return new DomainError("EPCIS.INVALID_EPC", "invalid", `"${value}" is not a valid ${scheme} EPC URI`, {
    value,
    scheme,
  });
}

export function invalidEventHash(value: string): DomainError {
  return new DomainError(
    "EPCIS.INVALID_EVENT_HASH",
    "invalid",
    `"${value}" is not an EPCIS event hash (ni:///sha-256;<64 hex digits>?ver=CBV<major>.<minor>)`,
    { value },
  );
}
