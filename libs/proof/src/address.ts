import { getAddress } from "ethers";
import { memoized } from "#common";

/**
 * `getAddress` (EIP-55 checksum, refusing a wrong one) remembered per spelling: a batch, a bundle or a capture
 * names the same few signers thousands of times, and each checksum is a keccak256 over the hex.
 */
export const checksummed: (address: string) => string = memoized(getAddress, 1_024);
