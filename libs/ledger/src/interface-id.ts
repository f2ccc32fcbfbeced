import { type Interface, toBeHex } from "ethers";

/** ERC-165 interface id: the XOR of the selectors of every function the interface declares. */
export function interfaceIdOf(iface: Interface): string {
  let id = 0n;
  iface.forEachFunction((fn) => {
    id ^= BigInt(fn.selector);
  });
  return toBeHex(id, 4);
}
