/** require-ephemeral-storage-limit: every container and init container sets resources.limits.ephemeral-storage (see requireResource). */
import { requireResource } from '../_shared/resources.js';

export type { RequireResourceOptions as RequireEphemeralStorageLimitOptions } from '../_shared/resources.js';

export const requireEphemeralStorageLimit = requireResource('limits', 'ephemeral-storage');
