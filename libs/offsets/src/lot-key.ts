import { id } from "ethers";

/**
 * The bytes32 OffsetRegistry files a lot's retirements under: keccak256 of the lot's canonical GS1 Digital Link
 * URI. The service retires under it and the verifier checks each retirement against it.
 */
export function offsetLotKey(lotId: string): string {
  return id(lotId);
}
