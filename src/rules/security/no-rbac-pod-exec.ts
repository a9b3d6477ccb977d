/**
 * no-rbac-pod-exec: pods/exec or pods/attach with create (what kubectl uses) or get (enough for
 * WebSocket clients on API servers that authorize the upgrade as a GET). resourceNames does not
 * make it safe: exec into any one pod runs commands with that pod's identity and mounts.
 */
import { defineCheck } from '../../engine/rule.js';
import { EXEC_ATTACH, execVerbs, grantsOn } from '../_shared/rbac.js';

export const noRbacPodExec = defineCheck('resource', (ctx) => grantsOn(ctx.object, EXEC_ATTACH, execVerbs));
