/**
 * Whether a parsed JSON value nests deeper than `max` (a scalar is depth 0). Iterative, because
 * 8 KB of `[` is 8,000 levels: any recursive walk — including a schema library's — would
 * overflow the stack on it, so this runs first, before anything recursive sees the body.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
