// The API's lists come a page at a time (connections). Where a page needs
// the whole list (areas for a postcode, rounds for an area), this follows
// the cursors. The limit keeps a mistake from looping for ever.
export interface PageOf<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export async function allPages<T>(fetchPage: (after: string | null) => Promise<PageOf<T>>, start: string | null = null, maxPages = 50): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = start;
  for (let i = 0; i < maxPages; i += 1) {
    const page: PageOf<T> = await fetchPage(after);
    out.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }
  return out;
}
