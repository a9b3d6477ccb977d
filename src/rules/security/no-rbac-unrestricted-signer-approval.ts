/**
 * no-rbac-unrestricted-signer-approval: `approve` (or "*") on certificates.k8s.io signers in a rule
 * without resourceNames. The CSR approval check asks for approve on `signers` with the signer's
 * name (or `<domain>/*`) as resource name, so a rule without names lets its subjects approve requests
 * for every signer (https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization).
 */
import { defineCheck } from '../../engine/rule.js';
import { grantedVerbs, grantsOn, hasNames, type ApiResource } from '../_shared/rbac.js';

const SIGNERS: readonly ApiResource[] = [{ group: 'certificates.k8s.io', resource: 'signers' }];
const APPROVE = ['approve'];

export const noRbacUnrestrictedSignerApproval = defineCheck('resource', (ctx) =>
  grantsOn(ctx.object, SIGNERS, (rule) => (hasNames(rule) ? [] : grantedVerbs(rule, APPROVE))),
);
