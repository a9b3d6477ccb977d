/** require-image-tag: an image with neither a tag nor a digest. */
import { defineCheck, NONE } from '../../engine/rule.js';
import { imageOf } from '../_shared/images.js';

export const requireImageTag = defineCheck('container', (ctx) => {
  const img = imageOf(ctx.target);
  if (!img || img.ref.tag !== undefined || img.ref.digest !== undefined) return NONE;
  return [{ path: '/image', data: { image: img.image } }];
});
