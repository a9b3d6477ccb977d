/** require-liveness-probe: every regular container of a long-running pod has a livenessProbe (see requireProbe). */
import { requireProbe } from '../_shared/probes.js';

export const requireLivenessProbe = requireProbe('livenessProbe');
