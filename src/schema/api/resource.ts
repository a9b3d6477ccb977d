/**
 * resource.k8s.io (dynamic resource allocation, pkg/apis/resource/validation): a ResourceSlice's
 * device attributes — C-identifier names, and exactly one typed value each.
 */
import { Issues, arr, isObj, obj, type Obj, type Path, type ValidatorTable } from './issues.js';
import { isCIdentifier } from './formats.js';

const VALUE_FIELDS = ['int', 'bool', 'string', 'version', 'ints', 'bools', 'strings', 'versions'];
const ONE_OF = VALUE_FIELDS.map((f) => `\`${f}\``).join(', ');
const C_IDENTIFIER_MSG =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')";

function validateResourceSlice(o: Obj, v: Issues): void {
  arr(obj(o.spec)?.devices).forEach((device, i) => {
    const attributes = obj(isObj(device) ? device.attributes : undefined);
    if (attributes === undefined) return;
    const at = ['spec', 'devices', i, 'attributes'];
    for (const [key, value] of Object.entries(attributes)) {
      // `domain/name`: the name part is a C identifier
      const name = key.slice(key.lastIndexOf('/') + 1);
      if (!isCIdentifier(name))
        v.add(at, `Invalid value: ${JSON.stringify(key)}: ${C_IDENTIFIER_MSG}`, 'key');
      const set = VALUE_FIELDS.filter((f) => isObj(value) && value[f] !== undefined && value[f] !== null);
      if (set.length === 0) v.invalid([...at, key], '', `must specify one of: ${ONE_OF}`);
      else if (set.length > 1)
        v.add([...at, key], `Invalid value: "{${set.join(', ')}}": must specify exactly one of: ${ONE_OF}`);
    }
  });
}

/** A DeviceClass's selectors: each needs its `cel` (a null one is absent). */
function validateDeviceClass(o: Obj, v: Issues): void {
  arr(obj(o.spec)?.selectors).forEach((sel, i) => {
    if (isObj(sel) && !isObj(sel.cel)) v.required(['spec', 'selectors', i, 'cel']);
  });
}

/**
 * A claim's device requests (v1 and v1beta2, where a request is either `exactly` one device class
 * or a `firstAvailable` list): exactly one of them.
 */
function validateDeviceRequests(claimSpec: unknown, path: Path, apiVersion: unknown, v: Issues): void {
  if (apiVersion !== 'resource.k8s.io/v1' && apiVersion !== 'resource.k8s.io/v1beta2') return;
  arr(obj(obj(claimSpec)?.devices)?.requests).forEach((r, i) => {
    if (!isObj(r)) return;
    const set = [isObj(r.exactly), arr(r.firstAvailable).length > 0].filter(Boolean).length;
    const at = [...path, 'devices', 'requests', i];
    if (set === 0) v.required(at, 'exactly one of `exactly` or `firstAvailable` is required');
    else if (set === 2)
      v.add(
        at,
        'Invalid value: null: exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set',
      );
  });
}

export const RESOURCE_VALIDATORS: ValidatorTable = {
  'resource.k8s.io/ResourceSlice': validateResourceSlice,
  'resource.k8s.io/DeviceClass': validateDeviceClass,
  'resource.k8s.io/ResourceClaim': (o, v) => validateDeviceRequests(o.spec, ['spec'], o.apiVersion, v),
  'resource.k8s.io/ResourceClaimTemplate': (o, v) =>
    validateDeviceRequests(obj(o.spec)?.spec, ['spec', 'spec'], o.apiVersion, v),
};
