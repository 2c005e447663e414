// The HTML report as text (no browser): embedding, escaping, CSP. test/report/html.browser.test.ts opens it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonForScript, renderHtml } from '../../src/report/html.js';
import type { AuditReport, CheckInfoLookup } from '../../src/report/types.js';

const report = JSON.parse(readFileSync(new URL('../fixtures/report.json', import.meta.url), 'utf8')) as AuditReport;
const checkInfo: CheckInfoLookup = (id) => ({
  remediation: { text: `Fix ${id} <b>now</b>`, url: `https://docs.example/${id}` },
  pillar: 'OPS',
  lens: [],
});

const between = (s: string, start: string, end: string) => {
  const i = s.indexOf(start);
  expect(i).toBeGreaterThanOrEqual(0);
  return s.slice(i + start.length, s.indexOf(end, i + start.length));
};

describe('renderHtml', () => {
  const html = renderHtml(report, { checkInfo });

  it('embeds the results and the remediation as JSON that parses back unchanged', () => {
    const data = JSON.parse(between(html, '<script type="application/json" id="report-data">', '</script>'));
    expect(data.results).toEqual(report.results);
    expect(data.remediation['lambda.no-tracing']).toEqual(checkInfo('lambda.no-tracing')!.remediation);
  });

  it('never lets data close a script, open a comment, or become markup', () => {
    expect(html.match(/<\/script/gi)).toHaveLength(2); // the data block and the app script
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<topic>');
    // static parts escape what they show
    expect(html).toContain('old-&#60;topic&#62;');
    expect(html).toContain('Access denied &#60;for&#62; &#34;role&#34;');
  });

  it('allows only its own inline style and script, by hash, and nothing from the network', () => {
    const csp = between(html, '<meta http-equiv="Content-Security-Policy" content="', '"').replaceAll('&#39;', "'");
    const style = between(html, '<style>', '</style>');
    const script = between(html, '<script>', '</script>');
    const hash = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
    // (the data block holds resource names such as `<img src=x …>`, escaped; look at the markup around it)
    const markup = html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '');
    expect(markup.length).toBeLessThan(html.length);
    expect(markup).not.toMatch(/<(link|img|iframe)\b|\bsrc=|\burl\(/i);
  });

  it('says when no state store was used', () => {
    const noStore: AuditReport = { ...report, resolved: undefined, results: report.results.map(({ history: _h, ...r }) => r) };
    const out = renderHtml(noStore);
    expect(out).toContain('No state store was used');
    expect(out).not.toContain('data-summary="new"');
    expect(html).not.toContain('No state store was used');
  });
});

describe('jsonForScript', () => {
  it('escapes </script, <!-- and line separators, and stays valid JSON', () => {
    const v = { a: '</script><!-- x \u2028 \u2029 </SCRIPT' };
    const s = jsonForScript(v);
    expect(s).not.toMatch(/<\/script|<!--|\u2028|\u2029/i);
    expect(JSON.parse(s)).toEqual(v);
  });
});
