import pkg from '../package.json' with { type: 'json' };

export const TOOL = { name: 'lens-audit', version: (pkg as { version: string }).version } as const;
