/** require-readiness-probe: every regular container of a long-running pod has a readinessProbe (see requireProbe). */
import { requireProbe } from '../_shared/probes.js';

export const requireReadinessProbe = requireProbe('readinessProbe');
