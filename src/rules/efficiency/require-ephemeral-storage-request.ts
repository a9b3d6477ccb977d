/** require-ephemeral-storage-request: every container and init container sets resources.requests.ephemeral-storage (see requireResource). */
import { requireResource } from '../_shared/resources.js';

export type { RequireResourceOptions as RequireEphemeralStorageRequestOptions } from '../_shared/resources.js';

export const requireEphemeralStorageRequest = requireResource('requests', 'ephemeral-storage');
