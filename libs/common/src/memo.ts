/**
 * `compute` remembered for the last `capacity` distinct keys (the oldest forgotten first). For pure functions of a
 * string that the same request calls many times with the same few arguments (a capture names each lot in its
 * movements, custody and references). A thrown error is not remembered: the next call computes again and throws
 * again. Results are shared between callers, so they must be immutable.
 */
export function memoized<T>(compute: (key: string) => T, capacity: number): (key: string) => T {
  const remembered = new Map<string, T>();
  return (key) => {
    if (remembered.has(key)) return remembered.get(key) as T;
    const value = compute(key);
    if (remembered.size >= capacity) remembered.delete(remembered.keys().next().value as string);
    remembered.set(key, value);
    return value;
  };
}
