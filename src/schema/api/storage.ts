/**
 * storage.k8s.io: StorageClasses, VolumeAttachments, CSIDrivers and CSINodes
 * (pkg/apis/storage/validation).
 */
import { Issues, arr, isObj, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import {
  DNS1123_SUBDOMAIN_MSG,
  TOTAL_ANNOTATION_SIZE,
  isDns1123Subdomain,
  qualifiedNameProblems,
} from './formats.js';

const G = 'storage.k8s.io';
const RECLAIM = ['Delete', 'Retain'] as const;
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'] as const;
const LIFECYCLE_MODES = ['Persistent', 'Ephemeral'] as const;
const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'] as const;
const CSI_NAME_MAX = 63;
/** A CSI driver name's words (ValidateCSIDriverName checks it case-insensitively). */
const CSI_NAME_MSG =
  "an RFC 1123 subdomain must consist of alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

function validateCsiDriverName(name: unknown, path: Path, v: Issues): void {
  const n = str(name) ?? '';
  if (n === '') {
    v.required(path);
    return;
  }
  if (n.length > CSI_NAME_MAX) v.add(path, `Too long: may not be more than ${CSI_NAME_MAX} bytes`);
  if (!isDns1123Subdomain(n.toLowerCase())) v.invalid(path, n, CSI_NAME_MSG);
}

function validateStorageClass(o: Obj, v: Issues): void {
  const provisioner = str(o.provisioner) ?? '';
  if (provisioner === '') v.required(['provisioner']);
  else {
    // The API server checks the lower-cased name and shows it so.
    const lower = provisioner.toLowerCase();
    for (const p of qualifiedNameProblems(lower)) v.invalid(['provisioner'], lower, p);
  }
  const params = obj(o.parameters);
  if (params !== undefined) {
    let size = 0;
    for (const [k, val] of Object.entries(params))
      size += k.length + (typeof val === 'string' ? val.length : 0);
    if (size > TOTAL_ANNOTATION_SIZE) v.tooLong(['parameters'], TOTAL_ANNOTATION_SIZE);
  }
  const reclaim = str(o.reclaimPolicy);
  if (reclaim !== undefined && !(RECLAIM as readonly string[]).includes(reclaim))
    v.notSupported(['reclaimPolicy'], reclaim, RECLAIM);
  const mode = str(o.volumeBindingMode);
  if (mode !== undefined && !(BINDING_MODES as readonly string[]).includes(mode))
    v.notSupported(['volumeBindingMode'], mode, BINDING_MODES);
  arr(o.allowedTopologies).forEach((term, i) => {
    arr(obj(term)?.matchLabelExpressions).forEach((e, j) => {
      if (!isObj(e)) return;
      const at = ['allowedTopologies', i, 'matchLabelExpressions', j];
      const key = str(e.key) ?? '';
      if (key === '') v.required([...at, 'key']);
      else for (const p of qualifiedNameProblems(key)) v.invalid([...at, 'key'], key, p);
      if (arr(e.values).length === 0) v.required([...at, 'values']);
    });
  });
}

function validateVolumeAttachment(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  validateCsiDriverName(spec.attacher, ['spec', 'attacher'], v);
  const node = str(spec.nodeName) ?? '';
  if (!isDns1123Subdomain(node)) v.invalid(['spec', 'nodeName'], node, DNS1123_SUBDOMAIN_MSG);
  const source = obj(spec.source);
  if (source !== undefined) {
    const pv = (str(source.persistentVolumeName) ?? '') !== '';
    const inline = isObj(source.inlineVolumeSpec);
    const both = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName';
    if (!pv && !inline) v.required(['spec', 'source'], both);
    else if (pv && inline) v.forbidden(['spec', 'source'], both);
  }
}

function validateCsiDriver(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const policy = str(spec.fsGroupPolicy);
  if (policy !== undefined && !(FS_GROUP_POLICIES as readonly string[]).includes(policy))
    v.notSupported(['spec', 'fsGroupPolicy'], policy, FS_GROUP_POLICIES);
  const audiences = new Set<string>();
  arr(spec.tokenRequests).forEach((t, i) => {
    const audience = str(obj(t)?.audience);
    if (audience === undefined) return;
    if (audiences.has(audience)) v.duplicate(['spec', 'tokenRequests', i, 'audience'], audience);
    audiences.add(audience);
  });
  // A null item decodes to "".
  for (const mode of arr(spec.volumeLifecycleModes))
    if (
      (typeof mode === 'string' || mode === null) &&
      !(LIFECYCLE_MODES as readonly string[]).includes(mode ?? '')
    )
      v.notSupported(['spec', 'volumeLifecycleModes'], mode ?? '', LIFECYCLE_MODES);
}

function validateCsiNode(o: Obj, v: Issues): void {
  const names = new Set<string>();
  arr(obj(o.spec)?.drivers).forEach((d, i) => {
    if (!isObj(d)) return;
    const at = ['spec', 'drivers', i];
    const name = str(d.name) ?? '';
    if (name === '') v.required([...at, 'name']);
    else if (!isDns1123Subdomain(name.toLowerCase())) v.invalid([...at, 'name'], name, DNS1123_SUBDOMAIN_MSG);
    if ((str(d.nodeID) ?? '') === '') v.required([...at, 'nodeID']);
    const count = obj(d.allocatable)?.count;
    if (typeof count === 'number' && count < 0)
      v.invalid([...at, 'allocatable', 'count'], count, 'must be greater than or equal to 0');
    for (const key of arr(d.topologyKeys))
      if (typeof key === 'string') for (const p of qualifiedNameProblems(key)) v.invalid(at, key, p);
    if (name !== '' && names.has(name)) v.duplicate([...at, 'name'], name);
    names.add(name);
  });
}

export const STORAGE_VALIDATORS: ValidatorTable = {
  [`${G}/StorageClass`]: validateStorageClass,
  [`${G}/VolumeAttachment`]: validateVolumeAttachment,
  [`${G}/CSIDriver`]: validateCsiDriver,
  [`${G}/CSINode`]: validateCsiNode,
};
