/**
 * An inverted index of labelled things per namespace, so that matching a selector against the
 * run's objects costs the size of the rarest equality label's posting list, not of the namespace.
 */
import type { Obj } from '../../engine/k8s/object.js';
import { labelText, matches, type Selector } from '../../engine/k8s/selectors.js';

export interface Labelled {
  labels: Obj;
  /** Labels a controller adds with values unknown here (they satisfy any requirement). */
  auto?: ReadonlySet<string>;
}

interface Bucket<T> {
  all: T[];
  byLabel: Map<string, T[]>;
}

export class LabelIndex<T extends Labelled> {
  private readonly buckets = new Map<string, Bucket<T>>();

  add(namespace: string, item: T): void {
    let b = this.buckets.get(namespace);
    if (!b) this.buckets.set(namespace, (b = { all: [], byLabel: new Map() }));
    b.all.push(item);
    for (const k in item.labels) {
      const pk = `${k}\0${labelText(item.labels[k])}`;
      const posting = b.byLabel.get(pk);
      if (posting) posting.push(item);
      else b.byLabel.set(pk, [item]);
    }
  }

  /** Namespaces that hold something. */
  namespaces(): IterableIterator<string> {
    return this.buckets.keys();
  }

  /**
   * The items of the namespace the selector selects (an invalid selector selects nothing). Labels
   * in `unindexed` (added by controllers) are not used to narrow the candidates.
   */
  select(namespace: string, s: Selector, unindexed?: ReadonlySet<string>): T[] {
    if (s.invalid) return [];
    const b = this.buckets.get(namespace);
    if (!b) return [];
    let candidates: T[] | undefined;
    for (const [k, v] of s.equal) {
      if (unindexed?.has(k)) continue;
      const posting = b.byLabel.get(`${k}\0${v}`);
      if (!posting) return [];
      if (!candidates || posting.length < candidates.length) candidates = posting;
    }
    return (candidates ?? b.all).filter((t) => matches(s, t.labels, t.auto));
  }
}
