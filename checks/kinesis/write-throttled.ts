import { defineCheck, type CheckExamples } from '../../src/model/index.js';
import { dailySeries, SERIES, seriesOf, total } from '../lib/metric-series.js';

const DAYS = 14;

const check = defineCheck({
  id: 'kinesis.write-throttled',
  title: 'Provisioned Kinesis stream throttled reads or writes in the last 14 days',
  description:
    'ProvisionedThroughputExceeded means producers or consumers hit the shard limits: records were rejected or delayed, and consumers fell behind ' +
    '(SERVPER 1). Sums WriteProvisionedThroughputExceeded and ReadProvisionedThroughputExceeded over 14 days for PROVISIONED streams. Needs --metrics.',
  severity: 'LOW',
  pillar: 'PERF',
  lens: ['SERVPER 1'],
  lens2022: ['SERVPERF 1'],
  resourceKind: 'AwsKinesisStream',
  uses: ['StreamModeDetails', 'Metrics'],
  cost: 'M',
  remediation: {
    text: 'Add shards (aws kinesis update-shard-count) or switch the stream to on-demand mode; spread partition keys to avoid hot shards; use enhanced fan-out for many consumers.',
    url: 'https://docs.aws.amazon.com/streams/latest/dev/troubleshooting-producers.html',
  },
  peers: {},
  evaluate(stream, ctx) {
    const mode = stream.StreamModeDetails?.StreamMode;
    if (mode === undefined) return ctx.notAssessed(`Capacity mode of stream ${stream.name} is unknown.`);
    if (mode !== 'PROVISIONED') return;
    const k = SERIES.kinesis;
    const s = seriesOf(stream.Metrics, [k.writeExceeded, k.readExceeded]);
    if (!s.ok) return ctx.notAssessed(`Stream ${stream.name}: ${s.reason}.`);
    const writes = total(s.series[k.writeExceeded]!, ctx.now, DAYS);
    const reads = total(s.series[k.readExceeded]!, ctx.now, DAYS);
    const evidence = { WriteProvisionedThroughputExceeded: writes, ReadProvisionedThroughputExceeded: reads };
    return writes + reads > 0
      ? ctx.fail(`Stream ${stream.name} was throttled in the last ${DAYS} days: ${writes} write and ${reads} read throughput-exceeded events.`, evidence)
      : ctx.pass(`Stream ${stream.name} was not throttled in the last ${DAYS} days.`, evidence);
  },
});
export default check;

const metrics = (write: number[], read: number[]) => ({ WriteProvisionedThroughputExceeded: dailySeries(write), ReadProvisionedThroughputExceeded: dailySeries(read) });

export const examples: CheckExamples<'AwsKinesisStream'> = {
  pass: [
    { resource: { StreamModeDetails: { StreamMode: 'PROVISIONED' }, Metrics: metrics([0, 0], []) } },
    { name: 'on-demand: does not apply', resource: { StreamModeDetails: { StreamMode: 'ON_DEMAND' } }, count: 0 },
  ],
  fail: [{ resource: { StreamModeDetails: { StreamMode: 'PROVISIONED' }, Metrics: metrics([0, 1200, 3], [0, 0, 0]) } }],
  notAssessed: [{ name: 'metrics not collected', resource: { StreamModeDetails: { StreamMode: 'PROVISIONED' } } }],
};
