/** require-memory-limit: every container and init container sets resources.limits.memory (see requireResource). */
import { requireResource } from '../_shared/resources.js';

export type { RequireResourceOptions as RequireMemoryLimitOptions } from '../_shared/resources.js';

export const requireMemoryLimit = requireResource('limits', 'memory');
