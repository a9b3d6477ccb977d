/** require-startup-probe: every regular container of a long-running pod has a startupProbe (see requireProbe). */
import { requireProbe } from '../_shared/probes.js';

export const requireStartupProbe = requireProbe('startupProbe');
