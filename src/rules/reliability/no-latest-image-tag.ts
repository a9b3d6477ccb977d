/** no-latest-image-tag: an image pinned to the mutable `:latest` tag (and no digest). */
import { defineCheck, NONE } from '../../engine/rule.js';
import { imageOf } from '../_shared/images.js';

export const noLatestImageTag = defineCheck('container', (ctx) => {
  const img = imageOf(ctx.target);
  if (!img || img.ref.tag !== 'latest' || img.ref.digest !== undefined) return NONE;
  return [{ path: '/image', data: { image: img.image } }];
});
