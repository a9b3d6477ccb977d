/** require-cpu-request: every container and init container sets resources.requests.cpu (see requireResource). */
import { requireResource } from '../_shared/resources.js';

export type { RequireResourceOptions as RequireCpuRequestOptions } from '../_shared/resources.js';

export const requireCpuRequest = requireResource('requests', 'cpu');
