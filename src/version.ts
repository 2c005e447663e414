import pkg from '../package.json' with { type: 'json' };

const meta = pkg as { version: string; homepage?: string };

export const TOOL = { name: 'lens-audit', version: meta.version } as const;

/** The checks' documentation (docs/checks.md) on the project's home, for links in Markdown and HTML reports. */
export const CHECK_DOCS_URL = `${(meta.homepage ?? 'https://github.com/lens-audit/lens-audit').replace(/#.*$/, '')}/blob/main/docs/checks.md`;

/** GitHub's anchor of a check's section in docs/checks.md (`## lambda.shared-role` → `#lambdashared-role`). */
export function checkDocsLink(checkId: string): string {
  return `${CHECK_DOCS_URL}#${checkId.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')}`;
}
