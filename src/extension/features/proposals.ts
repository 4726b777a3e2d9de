/** Which index proposal a query's "Add index" applies: a finding at the query, or an unindexed foreign key it searches. */
import { proposesIndex, type Finding } from '../../core/model/finding';
import type { Range } from '../../core/model/location';

export interface ProposalAt {
  finding: Finding;
  /** Where in `file` the proposal is: the finding's range, or the DELETE listed among its related locations. */
  range: Range;
}

/**
 * The index proposal found by `holds` in `file`: a missing-index (or unindexed-foreign-key) finding there first, else
 * an unindexed-foreign-key finding declared elsewhere whose related locations (the DELETEs that search the key) are.
 */
/** The findings `proposalIn` can return for `file`: once per file, so a search per query reads only these. */
export function proposalsTouching(findings: readonly Finding[], file: string): Finding[] {
  return findings.filter((f) => proposesIndex(f) && f.fix?.sql && (f.file === file || (f.rule === 'unindexed-foreign-key' && f.related.some((r) => r.file === file))));
}

export function proposalIn(findings: readonly Finding[], file: string, holds: (r: Range) => boolean): ProposalAt | undefined {
  const here = findings.find((f) => proposesIndex(f) && f.fix?.sql && f.file === file && holds(f.range));
  if (here) return { finding: here, range: here.range };
  for (const f of findings) {
    if (f.rule !== 'unindexed-foreign-key' || !f.fix?.sql) continue;
    const site = f.related.find((r) => r.file === file && holds(r.range));
    if (site) return { finding: f, range: site.range };
  }
  return undefined;
}
