/** no-invalid-annotations: annotation keys (validated lower-cased, as the API server does) and total size. */
import { keyProblem } from '../../engine/k8s/labels.js';
import { asObj } from '../../engine/k8s/object.js';
import { escapeSegment, toPointer } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';
import { dotted, quote } from '../_shared/format.js';
import { forEachMetadata } from '../_shared/metadata.js';

/** The API server's cap on the total size of an object's annotations (keys plus values, bytes). */
const ANNOTATIONS_LIMIT = 256 * 1024;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export const noInvalidAnnotations = defineCheck('resource', (ctx) => {
  const out: CheckResult[] = [];
  forEachMetadata(ctx.object, ctx.env.kinds, (segs, meta) => {
    const ann = asObj(meta.annotations);
    if (!ann) return;
    const aSegs = [...segs, 'annotations'];
    let chars = 0;
    for (const key in ann) {
      const kp = keyProblem(key.toLowerCase());
      if (kp)
        out.push({
          path: toPointer(aSegs) + '/' + escapeSegment(key),
          target: 'key',
          data: { detail: `an invalid annotation key ${quote(key)} in ${dotted(aSegs)}: ${kp}` },
        });
      const v = ann[key];
      chars += key.length + (typeof v === 'string' ? v.length : 0);
    }
    // A UTF-16 unit is at most 3 UTF-8 bytes: only count bytes when the cap may be reached.
    if (chars * 3 > ANNOTATIONS_LIMIT) {
      let bytes = 0;
      for (const key in ann) {
        const v = ann[key];
        bytes += utf8Length(key) + (typeof v === 'string' ? utf8Length(v) : 0);
      }
      if (bytes > ANNOTATIONS_LIMIT)
        out.push({
          path: toPointer(aSegs),
          target: 'key',
          data: {
            detail: `annotations in ${dotted(aSegs)} that take ${bytes} bytes, more than the 262144 (256 KiB) the API server accepts`,
          },
        });
    }
  });
  return out.length ? out : NONE;
});
