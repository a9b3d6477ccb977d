/** require-cpu-limit: every container and init container sets resources.limits.cpu (see requireResource). */
import { requireResource } from '../_shared/resources.js';

export type { RequireResourceOptions as RequireCpuLimitOptions } from '../_shared/resources.js';

export const requireCpuLimit = requireResource('limits', 'cpu');
