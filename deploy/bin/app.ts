// The CDK app: `cd deploy && npx cdk synth -c configFile=config.json` (synthesizes offline; no AWS account needed).
import { App } from 'aws-cdk-lib';
import { AuditorStack } from '../lib/auditor-stack.js';
import { loadDeployConfig } from '../lib/load-config.js';

const app = new App();
const config = loadDeployConfig(app);
new AuditorStack(app, config.stackName, {
  config,
  description: 'lens-audit: nightly Well-Architected Serverless Lens scan of the organization',
  env: {
    account: config.env?.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: config.env?.region ?? process.env.CDK_DEFAULT_REGION,
  },
});
app.synth();
