// One report in each format the CLI writes. The run's results are rendered once per format, all from the same view
// (--only-new, --status) of the same report.
import { resultSet, type AuditReport, type Check } from '../model/index.js';
import type { FindingRecord } from '../state/index.js';
import { renderAsff } from '../report/asff.js';
import { csvChunks } from '../report/csv.js';
import { filterReport, type ResultFilter } from '../report/filter.js';
import { renderHtml } from '../report/html.js';
import { renderJsonChunks } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { ocsfChunks } from '../report/ocsf.js';
import { renderTable } from '../report/table.js';
import type { OutputFormat } from './outputs.js';

export interface RenderContext {
  /** Check metadata by id (the CLI passes checkLookup(ALL_CHECKS): only the entry point imports the registry). */
  checkFor: (checkId: string) => Check | undefined;
  filter: ResultFilter;
  /** Security Hub's view (what --security-hub sends): resolved records, central account, home region of global findings. */
  asff: { resolved?: readonly FindingRecord[]; centralAccountId?: string; globalRegion?: string };
  ocsfNdjson?: boolean;
  table: { color: boolean; width?: number; showPass?: boolean };
  /** A link to the full report for the Markdown summary (the HTML file written in the same run). */
  reportUrl?: string;
  /** --group-by-tag: the HTML report's extra roll-up. */
  groupByTag?: string;
}

export function render(format: OutputFormat, report: AuditReport, ctx: RenderContext): string | Iterable<string> {
  const view = filterReport(report, ctx.filter);
  switch (format) {
    // In pieces: an organization-wide JSON or CSV can be longer than one JavaScript string.
    case 'json':
      return renderJsonChunks(view);
    case 'csv':
      return csvChunks(view);
    case 'html':
      return renderHtml(view, { checkInfo: ctx.checkFor, ...(ctx.groupByTag !== undefined ? { groupByTag: ctx.groupByTag } : {}) });
    case 'ocsf':
      return ocsfChunks(view, { checkFor: ctx.checkFor, ndjson: ctx.ocsfNdjson });
    case 'markdown':
      return `${renderMarkdown(view, ctx.reportUrl ? { reportUrl: ctx.reportUrl } : {})}\n`;
    case 'asff': {
      // Exactly what --security-hub would send: this run's findings plus the resolved ones, archived (none when the
      // view lists only new findings, or no failures).
      const resolved = view.resolved !== undefined && view.resolved.length === 0 ? [] : ctx.asff.resolved;
      return renderAsff(resultSet(view).held, { now: new Date(report.finishedAt), checkFor: ctx.checkFor, ...ctx.asff, resolved });
    }
    case 'table':
      return renderTable(view, {
        color: ctx.table.color,
        width: ctx.table.width,
        onlyNew: ctx.filter.onlyNew,
        showPass: ctx.table.showPass || Boolean(ctx.filter.status?.includes('PASS')),
      });
  }
}
