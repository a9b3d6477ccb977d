/** The one fix-until-stable loop: `shipshape fix` (texts) and `/mutate` (objects) both run it. */
import type { Finding } from '../engine/types.js';

/** Passes of fix → re-lint at most (fixes can uncover or enable other fixes; a bound stops a cycle). */
export const MAX_FIX_PASSES = 10;

export interface FixStep<T> {
  /** Apply the fixes of `findings` to `value`; undefined when nothing changed. */
  apply(value: T, findings: readonly Finding[]): T | undefined;
  /** Lint `value` again. */
  relint(value: T): Finding[];
}

/**
 * Apply fixes, re-lint, repeat until nothing changes or {@link MAX_FIX_PASSES} passes ran. Returns
 * the final value and the findings of its last lint (those of `findings` when nothing changed).
 */
export function fixUntilStable<T>(
  value: T,
  findings: Finding[],
  step: FixStep<T>,
): { value: T; findings: Finding[]; changed: boolean } {
  let current = value;
  let latest = findings;
  let changed = false;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const next = step.apply(current, latest);
    if (next === undefined) break;
    current = next;
    changed = true;
    latest = step.relint(current);
  }
  return { value: current, findings: latest, changed };
}
