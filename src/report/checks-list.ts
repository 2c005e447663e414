// `audit checks`: the check catalogue as a table, JSON or Markdown, and the generated docs/checks.md.
// Everything comes from the checks' own metadata, so the list cannot drift from the code.
import { cutTo, displayWidth, padTo } from './width.js';
import { CSPM_CONTROLS, LENS_2022, type Check, type LensQuestion2022, type Peers } from '../model/index.js';

export type ChecksFormat = 'table' | 'json' | 'markdown';

const PEER_LABELS: Record<keyof Peers, string> = {
  cspm: 'CSPM',
  config: 'Config',
  serverlessRules: 'serverless-rules',
  trustedAdvisor: 'Trusted Advisor',
  prowler: 'Prowler',
};

/** `FSBP Lambda.7; Config lambda-function-xray-enabled; ...` or `-`. */
export function peerIds(peers: Peers): string {
  const parts = (Object.keys(PEER_LABELS) as (keyof Peers)[])
    .filter((k) => (peers[k] ?? []).length > 0)
    .map((k) => `${PEER_LABELS[k]} ${peers[k]!.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : '-';
}

/** The 2022 lens questions of a check, or `-`. */
function lens2022(c: Check): string {
  return c.lens2022.length > 0 ? c.lens2022.join(', ') : '-';
}

function enabled(c: Check): boolean {
  return c.enabledByDefault !== false;
}

function sorted(checks: readonly Check[]): Check[] {
  return [...checks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One line per check, as `audit checks --output json` prints it. */
export function checkSummary(c: Check) {
  return {
    id: c.id,
    title: c.title,
    severity: c.severity,
    pillar: c.pillar,
    lens: c.lens,
    lens2022: c.lens2022,
    resourceKind: c.resourceKind,
    cost: c.cost,
    enabledByDefault: enabled(c),
    peers: c.peers,
    options: c.options ?? {},
    description: c.description,
    remediation: c.remediation,
  };
}


/**
 * The checks as a table. With `width` (a terminal's columns) it fits: the peers column goes first, then the title is
 * cut (down to 24 columns), then the lens columns go. Widths are display widths (wide characters take two columns).
 */
function renderTable(checks: Check[], width?: number): string {
  const header = ['ID', 'SEVERITY', 'PILLAR', 'LENS', 'LENS 2022', 'COST', 'DEFAULT', 'TITLE', 'PEERS'];
  const body = checks.map((c) => [c.id, c.severity, c.pillar, c.lens.join(', '), lens2022(c), c.cost, enabled(c) ? 'on' : 'opt-in', c.title, peerIds(c.peers)]);
  let columns = header.map((_, i) => i);
  const widthOf = (i: number) => Math.max(displayWidth(header[i]!), ...body.map((r) => displayWidth(r[i]!)));
  const total = (cols: number[], last?: number) => cols.reduce((n, i, k) => n + (k === cols.length - 1 && last !== undefined ? last : widthOf(i)), 0) + 2 * (cols.length - 1);
  let lastWidth: number | undefined;
  if (width !== undefined && total(columns) > width) {
    const title = header.indexOf('TITLE');
    const drop = (name: string) => (columns = columns.filter((i) => header[i] !== name));
    drop('PEERS');
    // TITLE is now the last column: what the others leave it. Below 24 columns of title, the lens columns give way,
    // then cost, default and pillar; ID and SEVERITY always stay (the title is then cut to what is left).
    const room = () => width - (total(columns) - widthOf(title));
    for (const name of ['LENS 2022', 'LENS', 'COST', 'DEFAULT', 'PILLAR']) if (room() < 24) drop(name);
    if (room() < widthOf(title)) lastWidth = Math.max(8, room());
  }
  const rows = [header, ...body].map((r) => columns.map((i) => r[i]!));
  const widths = columns.map(widthOf);
  // The last column is not padded: peers and titles vary too much in length to align usefully after them.
  return rows.map((r) => r.map((cell, k) => (k === r.length - 1 ? cutTo(cell, lastWidth) : padTo(cell, widths[k]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Markdown table cell: pipes escaped, line breaks flattened. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function renderMarkdownTable(checks: Check[], link = false): string {
  const head = '| ID | Severity | Pillar | Lens 2018 | Lens 2022 | Cost | Default | Title | Peers |\n|---|---|---|---|---|---|---|---|---|\n';
  return (
    head +
    checks
      .map((c) => {
        const id = link ? `[\`${c.id}\`](#${anchor(c.id)})` : `\`${c.id}\``;
        return `| ${id} | ${c.severity} | ${c.pillar} | ${c.lens.join(', ')} | ${lens2022(c)} | ${c.cost} | ${enabled(c) ? 'on' : 'opt-in'} | ${cell(c.title)} | ${cell(peerIds(c.peers))} |`;
      })
      .join('\n') +
    '\n'
  );
}

/** GitHub-style heading anchor for a check id heading. */
function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

export function renderChecks(checks: readonly Check[], format: ChecksFormat, opts: { width?: number } = {}): string {
  const list = sorted(checks);
  switch (format) {
    case 'json':
      return `${JSON.stringify(list.map(checkSummary), null, 2)}\n`;
    case 'markdown':
      return renderMarkdownTable(list);
    case 'table':
      return renderTable(list, opts.width);
  }
}

export const CHECK_DOCS_HEADER =
  '<!-- Generated by scripts/gen-check-docs.ts from the checks\' metadata. Do not edit: run `npx tsx scripts/gen-check-docs.ts`. -->';

const COST_TEXT: Record<Check['cost'], string> = {
  C: 'C: decided from region-wide list/describe calls',
  E: 'E: needs at least one call per resource',
  M: 'M: needs CloudWatch metrics (per-resource: run with --metrics; account- and region-level: by default)',
};

function optionValue(v: unknown): string {
  return Array.isArray(v) ? (v.length === 0 ? '[]' : v.join(', ')) : String(v);
}

/** docs/checks.md: the summary table, then one section per check. */
export function renderChecksDoc(checks: readonly Check[]): string {
  const list = sorted(checks);
  const bySeverity = new Map<string, number>();
  for (const c of list) bySeverity.set(c.severity, (bySeverity.get(c.severity) ?? 0) + 1);
  const out: string[] = [
    CHECK_DOCS_HEADER,
    '',
    '# Checks',
    '',
    `${list.length} checks (${list.filter(enabled).length} on by default). Lens ids are the Serverless Applications Lens questions of the ` +
      'November 2018 revision and of the July 2022 revision (the lens of the Well-Architected Tool). ' +
      'Cost: C = region-wide list calls, E = per-resource calls, M = CloudWatch metrics (`--metrics`). ' +
      'Suppress or configure a check by its id.',
    '',
    renderMarkdownTable(list, true).trimEnd(),
    '',
    ...lens2022Section(list),
    ...cspmSection(list),
  ];
  for (const c of list) {
    out.push(`## ${c.id}`, '', `**${c.title}**`, '', c.description, '');
    out.push(`- Severity: ${c.severity}; pillar: ${c.pillar}; lens (2018): ${c.lens.join(', ')}; lens (2022): ${lens2022(c)}`);
    out.push(`- Resource: \`${c.resourceKind}\`${c.needs?.length ? `; also reads ${c.needs.map((k) => `\`${k}\``).join(', ')}` : ''}`);
    out.push(`- Cost: ${COST_TEXT[c.cost]}`);
    out.push(`- Enabled by default: ${enabled(c) ? 'yes' : 'no (opt-in)'}`);
    const opts = Object.entries(c.options ?? {});
    if (opts.length > 0) out.push(`- Options: ${opts.map(([k, v]) => `\`${k}\` = ${optionValue(v)}`).join('; ')}`);
    out.push(`- Peers: ${peerIds(c.peers)}`);
    out.push(`- Remediation: ${c.remediation.text} (${c.remediation.url})`);
    out.push('');
  }
  return out.join('\n');
}

/** docs/checks.md: the 2022 lens questions and the checks that serve each. */
function lens2022Section(list: Check[]): string[] {
  const out = ['## Serverless Lens 2022 questions', '', '| Question | | Checks |', '|---|---|---|'];
  for (const [q, def] of Object.entries(LENS_2022) as [LensQuestion2022, { title: string }][]) {
    const ids = list.filter((c) => c.lens2022.includes(q)).map((c) => `\`${c.id}\``);
    out.push(`| ${q} | ${cell(def.title)} | ${ids.length > 0 ? ids.join(', ') : 'none'} |`);
  }
  const none = list.filter((c) => c.lens2022.length === 0).map((c) => `\`${c.id}\``);
  if (none.length > 0) {
    out.push('', `No 2022 question (data protection, which the 2022 lens leaves to the framework's SEC 8 and SEC 9): ${none.join(', ')}.`);
  }
  out.push('');
  return out;
}

/** docs/checks.md: which checks Security Hub CSPM controls already cover, and what only lens-audit checks. */
function cspmSection(list: Check[]): string[] {
  const out = [
    '## Overlap with Security Hub CSPM',
    '',
    '`--skip-cspm-overlap` skips the checks below whose control is enabled in a CSPM standard. ' +
      'A retired control never counts.',
    '',
    '| Check | CSPM controls |',
    '|---|---|',
  ];
  for (const c of list.filter((x) => (x.peers.cspm ?? []).length > 0)) {
    const controls = c.peers.cspm!.map((id) => {
      const def = CSPM_CONTROLS[id];
      return `${id} ${cell(def?.title ?? '')}${def?.retired ? ` (retired ${def.retired})` : ''}`.trim();
    });
    out.push(`| \`${c.id}\` | ${controls.join('; ')} |`);
  }
  const only = list.filter((c) => !(c.peers.cspm ?? []).some((id) => CSPM_CONTROLS[id] && !CSPM_CONTROLS[id]!.retired));
  out.push('', `${only.length} of ${list.length} checks have no CSPM counterpart: ${only.map((c) => `\`${c.id}\``).join(', ')}.`, '');
  return out;
}
