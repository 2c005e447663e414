import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/index.js';
import { defineCheck, type Check } from '../../src/model/index.js';
import { peerIds, renderChecks, renderChecksDoc } from '../../src/report/checks-list.js';

const a = defineCheck({
  id: 'zeta.sample',
  title: 'Sample check with a | pipe in its title',
  description: 'A sample check used by the listing tests.',
  severity: 'HIGH',
  pillar: 'SEC',
  lens: ['SERVSEC 1', 'SERVSEC 6'],
  lens2022: ['SERVSEC 1'],
  resourceKind: 'AwsLambdaFunction',
  uses: ['Runtime'],
  cost: 'E',
  enabledByDefault: false,
  options: { minimumDays: 365, keys: ['a', 'b'] },
  remediation: { text: 'Fix the sample resource.', url: 'https://example.com/fix' },
  peers: { cspm: ['Lambda.1'], prowler: ['p_one', 'p_two'] },
  evaluate: () => undefined,
}) as unknown as Check;
const b = { ...a, id: 'alpha.sample', enabledByDefault: undefined, peers: {}, options: undefined } as Check;

describe('renderChecks', () => {
  it('json lists every field the command promises, sorted by id', () => {
    const out = JSON.parse(renderChecks([a, b], 'json')) as Record<string, unknown>[];
    expect(out.map((c) => c.id)).toEqual(['alpha.sample', 'zeta.sample']);
    expect(out[1]).toMatchObject({
      id: 'zeta.sample', severity: 'HIGH', pillar: 'SEC', lens: ['SERVSEC 1', 'SERVSEC 6'], lens2022: ['SERVSEC 1'], cost: 'E', enabledByDefault: false,
      peers: { cspm: ['Lambda.1'], prowler: ['p_one', 'p_two'] }, options: { minimumDays: 365, keys: ['a', 'b'] },
    });
    expect(out[0]).toMatchObject({ enabledByDefault: true, options: {} });
  });

  it('table has a header and one line per check with default and peers', () => {
    const lines = renderChecks([a, b], 'table').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+PILLAR\s+LENS\s+LENS 2022\s+COST\s+DEFAULT\s+TITLE\s+PEERS$/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('opt-in');
    expect(lines[2]).toContain('CSPM Lambda.1; Prowler p_one, p_two');
    expect(lines[1]).toMatch(/alpha\.sample\s+HIGH\s+SEC\s+SERVSEC 1, SERVSEC 6\s+SERVSEC 1\s+E\s+on\s/);
  });

  it('markdown escapes pipes and keeps one row per check', () => {
    const md = renderChecks([a], 'markdown');
    expect(md).toContain('Sample check with a \\| pipe in its title');
    expect(md.trimEnd().split('\n')).toHaveLength(3);
  });

  it('peerIds says "-" when there are none', () => {
    expect(peerIds({})).toBe('-');
  });
});

describe('renderChecksDoc', () => {
  it('has a section per check with options and peers', () => {
    const doc = renderChecksDoc([a]);
    expect(doc).toContain('## zeta.sample');
    expect(doc).toContain('`minimumDays` = 365; `keys` = a, b');
    expect(doc).toContain('Enabled by default: no (opt-in)');
  });

  it('shows the 2022 lens questions and the CSPM overlap', () => {
    const doc = renderChecksDoc(ALL_CHECKS);
    expect(doc).toMatch(/\| SERVOPS 2 \| How do you approach application lifecycle management\? \| `codedeploy.lambda-all-at-once` \|/);
    expect(doc).toContain('| `lambda.public-resource-policy` | Lambda.1 Lambda function policies should prohibit public access |');
    expect(doc).toContain('SNS.2 Logging of delivery status should be enabled for notification messages sent to a topic (retired 2024-04)');
    expect(doc).toMatch(/checks have no CSPM counterpart: .*`lambda.shared-role`/);
  });

  it('covers the real registry', () => {
    const doc = renderChecksDoc(ALL_CHECKS);
    expect(doc.match(/^## /gm)?.length).toBe(ALL_CHECKS.length + 2); // + the lens 2022 and CSPM sections
  });
});
