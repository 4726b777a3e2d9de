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

interface Here {
  at: number;
  finding: Finding;
}

interface Site extends Here {
  /** Which of the finding's related locations. */
  nth: number;
  range: Range;
}

/**
 * `proposalIn` for every query of one file (the code lenses): the file's proposals by the line they start
 * on, so a query looks at the lines it spans, not at every proposal of the file (a 5,000-line file has
 * hundreds of both). `within(first, last, holds)` gives what `proposalIn(findings, file, holds)` gives
 * when `holds` takes only ranges that start on a line from `first` to `last`.
 */
export class FileProposals {
  private readonly here = new Map<number, Here[]>();
  private readonly sites = new Map<number, Site[]>();

  constructor(findings: readonly Finding[], file: string) {
    findings.forEach((f, at) => {
      if (!f.fix?.sql) return;
      if (proposesIndex(f) && f.file === file) add(this.here, f.range.start.line, { at, finding: f });
      if (f.rule === 'unindexed-foreign-key')
        f.related.forEach((r, nth) => {
          if (r.file === file) add(this.sites, r.range.start.line, { at, nth, finding: f, range: r.range });
        });
    });
  }

  within(first: number, last: number, holds: (r: Range) => boolean): ProposalAt | undefined {
    // The first in the findings' order, as proposalIn takes it; for a site, then the first of its finding's.
    let here: Here | undefined;
    for (let line = first; line <= last; line++) for (const h of this.here.get(line) ?? []) if ((!here || h.at < here.at) && holds(h.finding.range)) here = h;
    if (here) return { finding: here.finding, range: here.finding.range };
    let site: Site | undefined;
    for (let line = first; line <= last; line++)
      for (const c of this.sites.get(line) ?? []) if ((!site || c.at < site.at || (c.at === site.at && c.nth < site.nth)) && holds(c.range)) site = c;
    return site && { finding: site.finding, range: site.range };
  }
}

function add<T>(by: Map<number, T[]>, line: number, item: T): void {
  const list = by.get(line);
  if (list) list.push(item);
  else by.set(line, [item]);
}
