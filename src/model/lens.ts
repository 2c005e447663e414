// The Serverless Lens questions our checks are mapped to: the November 2018 revision (the ids the checks first carried,
// catalogue.md §1) and the July 2022 revision, the one the Well-Architected Tool's "serverless" lens asks today.

/** Serverless Lens questions, November 2018 revision (catalogue.md §1). */
export const LENS_2018 = {
  'SERVOPS 1': 'How are you monitoring and responding to anomalies in your serverless application?',
  'SERVOPS 2': 'How are you evolving your serverless application while minimizing the impact of change?',
  'SERVSEC 1': 'How do you authorize and authenticate access to your serverless API?',
  'SERVSEC 2': 'How are you enforcing boundaries as to what AWS services your Lambda functions can access?',
  'SERVSEC 3': 'How are you analyzing serverless application logs?',
  'SERVSEC 4': 'How do you monitor dependency vulnerabilities within your serverless application?',
  'SERVSEC 5': 'For VPC access, how are you enforcing networking boundaries as to what AWS Lambda functions can access?',
  'SERVSEC 6': 'How are you protecting sensitive data within your serverless application?',
  'SERVSEC 7': 'What is your strategy on input validation?',
  'SERVREL 1': 'Have you considered serverless limits for peak workloads?',
  'SERVREL 2': 'How are you regulating access rates to and within your serverless application?',
  'SERVREL 3': 'What is your strategy on asynchronous calls and events within your serverless architecture?',
  'SERVREL 4': "What's your testing strategy for serverless applications?",
  'SERVREL 5': 'How are you building resiliency into your serverless application?',
  'SERVPER 1': 'How do you choose the most optimum capacity units (memory, shards, reads/writes per second) within your serverless application?',
  'SERVPER 2': 'How have you optimized the performance of your serverless application?',
  'SERVPER 3': 'How do you decide what components of your serverless application should be deployed in a VPC?',
  'SERVPER 4': 'How are you optimizing your Lambda code for performance?',
  'SERVPER 5': 'How are you initializing database connections?',
  'SERVPER 6': 'How are you implementing asynchronous transactions?',
  'SERVCOST 1': 'What is your strategy for deciding the most optimal Lambda memory allocation?',
  'SERVCOST 2': 'What is your strategy for code logging in your Lambda functions?',
  'SERVCOST 3': 'Is your code architecture running unnecessary Lambda functions?',
  'SERVCOST 4': 'How are you optimizing your Lambda functions to reduce overall execution time?',
} as const;

/**
 * Serverless Applications Lens, July 14, 2022 revision
 * (https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/): nine questions, which the
 * document numbers OPS 1 ... COST 1 within the lens; we prefix them SERV... as the 2018 ids were, with SERVPERF
 * (not the 2018 SERVPER) for performance. `pillar` is the Well-Architected Tool's PillarId.
 */
export const LENS_2022 = {
  'SERVOPS 1': { pillar: 'operationalExcellence', title: 'How do you understand the health of your serverless application?' },
  'SERVOPS 2': { pillar: 'operationalExcellence', title: 'How do you approach application lifecycle management?' },
  'SERVSEC 1': { pillar: 'security', title: 'How do you control access to your serverless API?' },
  'SERVSEC 2': { pillar: 'security', title: "How do you manage your serverless application's security boundaries?" },
  'SERVSEC 3': { pillar: 'security', title: 'How do you implement application security in your workload?' },
  'SERVREL 1': { pillar: 'reliability', title: 'How do you regulate inbound request rates?' },
  'SERVREL 2': { pillar: 'reliability', title: 'How do you build resiliency into your serverless application?' },
  'SERVPERF 1': { pillar: 'performance', title: "How do you optimize your serverless application's performance?" },
  'SERVCOST 1': { pillar: 'costOptimization', title: "How do you optimize your serverless application's costs?" },
} as const;
