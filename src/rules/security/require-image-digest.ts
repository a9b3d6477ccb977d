/** require-image-digest: an image not pinned by digest. */
import { defineCheck, NONE } from '../../engine/rule.js';
import { imageOf } from '../_shared/images.js';

export const requireImageDigest = defineCheck('container', (ctx) => {
  const img = imageOf(ctx.target);
  if (!img || img.ref.digest !== undefined) return NONE;
  return [{ path: '/image', data: { image: img.image } }];
});
