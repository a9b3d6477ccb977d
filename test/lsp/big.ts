// Big editor buffers for the language server's limits: many Pods, each with the same handful of
// findings (host namespaces, a privileged container, a mutable image tag, no resources, …).

/** One Pod manifest (a YAML document without the leading `---`). */
export function pod(name: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  hostNetwork: true
  hostPID: true
  containers:
    - name: a
      image: nginx
      securityContext: { privileged: true }
    - name: b
      image: nginx:latest
`;
}

/** `count` Pods as one multi-document YAML text (about 225 bytes each). */
export function pods(count: number, prefix = 'p'): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`---\n${pod(`${prefix}${i}`)}`);
  return out.join('');
}
