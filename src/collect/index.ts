// Collector registry. Order matters only within a stage for readability; stages are run in order.
import type { Collector } from './types.js';

export const ALL_COLLECTORS: readonly Collector[] = [];
