/** require-memory-request: every container and init container sets resources.requests.memory (see requireResource). */
import { requireResource } from '../_shared/resources.js';

export type { RequireResourceOptions as RequireMemoryRequestOptions } from '../_shared/resources.js';

export const requireMemoryRequest = requireResource('requests', 'memory');
