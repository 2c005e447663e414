export * from './resources.js';
export * from './inventory.js';
export * from './taxonomy.js';
export * from './check.js';
export * from './result.js';
export * from './report.js';
export * from './arn.js';
export * from './env-names.js';
