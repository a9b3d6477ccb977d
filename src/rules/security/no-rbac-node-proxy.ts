/** no-rbac-node-proxy: any kubelet-API verb on nodes/proxy; resourceNames (named nodes) still fires. */
import { defineCheck } from '../../engine/rule.js';
import { grantedVerbs, grantsOn, type ApiResource } from '../_shared/rbac.js';

const NODE_PROXY: readonly ApiResource[] = [{ group: '', resource: 'nodes/proxy' }];
// The kubelet maps HTTP methods to these verbs; get alone reaches /exec over WebSocket.
const NODE_PROXY_VERBS = ['get', 'create', 'update', 'patch', 'delete'] as const;

export const noRbacNodeProxy = defineCheck('resource', (ctx) =>
  grantsOn(ctx.object, NODE_PROXY, (rule) => grantedVerbs(rule, NODE_PROXY_VERBS)),
);
