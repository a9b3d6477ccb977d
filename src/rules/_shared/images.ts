/** The container image a check looks at, parsed once per distinct image string (five rules read it). */
import { parseImageRef, type ImageRef } from '../../engine/k8s/images.js';
import type { Obj } from '../../engine/k8s/object.js';

/** Parsed references by image string: manifests repeat a handful of images. */
const refCache = new Map<string, ImageRef | null>();
const REF_CACHE_MAX = 4096;

/** The container's image as a parsed reference, or undefined when absent or unparsable. */
export function imageOf(container: Obj): { image: string; ref: ImageRef } | undefined {
  const image = container.image;
  if (typeof image !== 'string') return undefined;
  let ref = refCache.get(image);
  if (ref === undefined) {
    if (refCache.size >= REF_CACHE_MAX) refCache.clear();
    ref = parseImageRef(image) ?? null;
    refCache.set(image, ref);
  }
  return ref ? { image, ref } : undefined;
}
