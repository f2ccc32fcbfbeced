import type { Provider } from "ethers";

/**
 * The block a contract was deployed in, by bisecting on whether code is at its address (about log2(height)
 * calls, once: the caller keeps the answer). Undefined when the node cannot answer for old blocks (a pruned,
 * non-archive node): log queries then have to start from genesis, in pages.
 */
export async function findDeployBlock(provider: Provider, address: string): Promise<number | undefined> {
  try {
    let high = await provider.getBlockNumber();
    if ((await provider.getCode(address, high)) === "0x") return undefined;
    let low = 0;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if ((await provider.getCode(address, middle)) === "0x") low = middle + 1;
      else high = middle;
    }
    return low;
  } catch {
    return undefined;
  }
}
