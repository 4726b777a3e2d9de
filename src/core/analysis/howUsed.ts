/** How a query uses an index, in words: "equality on userId; range on createdAt; index-only". */
export function howUsed(u: { equalityColumns: readonly string[]; rangeColumn?: string; sortAvoided: boolean; indexOnly: boolean }): string {
  const parts: string[] = [];
  if (u.equalityColumns.length) parts.push(`equality on ${u.equalityColumns.join(', ')}`);
  if (u.rangeColumn) parts.push(`range on ${u.rangeColumn}`);
  if (u.sortAvoided) parts.push('delivers the ORDER BY');
  if (u.indexOnly) parts.push('index-only');
  return parts.join('; ') || 'scan in index order';
}
