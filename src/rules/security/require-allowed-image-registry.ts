/** require-allowed-image-registry: the image must come from one of the configured registries (prefixes). */
import { normalizeRegistryPrefix, underPrefix } from '../../engine/k8s/images.js';
import { defineCheck, NONE } from '../../engine/rule.js';
import { imageOf } from '../_shared/images.js';

export interface RequireAllowedImageRegistryOptions {
  /** Allowed registry prefixes (`registry.example.com`, `ghcr.io/acme`, `bitnami`). */
  registries: string[];
}

/** Normalised prefixes per options object (compiled once per rule set). */
const prefixCache = new WeakMap<object, string[]>();

export const requireAllowedImageRegistry = defineCheck<'container', RequireAllowedImageRegistryOptions>(
  'container',
  (ctx) => {
    const img = imageOf(ctx.target);
    if (!img) return NONE;
    let prefixes = prefixCache.get(ctx.options);
    if (!prefixes) {
      const raw: unknown[] = Array.isArray(ctx.options.registries) ? ctx.options.registries : [];
      prefixes = raw
        .filter((p): p is string => typeof p === 'string')
        .map(normalizeRegistryPrefix)
        .filter((p) => p !== '');
      prefixCache.set(ctx.options, prefixes);
    }
    for (const p of prefixes) if (underPrefix(img.ref.name, p)) return NONE;
    return [
      {
        path: '/image',
        data: {
          image: img.image,
          registry: img.ref.registry,
          allowed: prefixes.length ? prefixes.join(', ') : '(none configured)',
        },
      },
    ];
  },
);
