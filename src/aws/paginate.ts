// Generic token pagination for SDK calls that have no paginator (or where we want one code path).
/**
 * Calls `page(token)` until the returned token is empty. Stops when a token repeats (some AWS APIs loop) or after
 * `maxPages` pages.
 */
export async function paginate<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
  maxPages = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const { items, next } = await page(token);
    out.push(...items);
    if (!next || seen.has(next)) break;
    seen.add(next);
    token = next;
  }
  return out;
}
