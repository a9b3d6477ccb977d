// Edge cases of the Pod Security Standards rules that realistic fixtures cannot hold (the API
// server would reject the manifest, or the case needs non-default options), run through the engine.
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { SAFE_SYSCTLS } from '../../src/rules/security/no-unsafe-sysctls.js';
import { parseSource } from '../../src/source/parse.js';

async function findings(ruleId: string, yaml: string, options?: Record<string, unknown>) {
  const def = builtinRules().find((d) => d.id === ruleId)!;
  const rules = await compileRules(builtinRules(), {
    presets: [],
    rules: { [ruleId]: options ? { severity: def.severity, options } : def.severity },
  });
  const parsed = parseSource('test.yaml', yaml);
  return lint(parsed.resources, { rules }).filter((f) => f.ruleId === ruleId);
}

const pod = (spec: string, meta = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec.replace(/^/gm, '  ')}\n`;

describe('Windows exemption of the Linux-only restricted controls', () => {
  const windows = pod(`os: { name: windows }
containers:
  - name: app
    image: app
    securityContext:
      allowPrivilegeEscalation: true
      capabilities: { add: [SYS_ADMIN] }
      seccompProfile: { type: Unconfined }`);
  it.each([
    'no-added-capabilities',
    'require-drop-all-capabilities',
    'no-privilege-escalation',
    'require-seccomp-profile',
  ])('%s skips spec.os.name: windows', async (id) => {
    expect(await findings(id, windows)).toEqual([]);
    expect((await findings(id, windows.replace('windows', 'linux'))).length).toBeGreaterThan(0);
  });
  it('baseline controls still apply to Windows pods', async () => {
    expect(await findings('no-non-default-capabilities', windows)).toHaveLength(1);
    expect(await findings('no-unconfined-seccomp', windows)).toHaveLength(1);
  });
});

describe('require-seccomp-profile', () => {
  it('treats a profile without a type as an explicit bad value', async () => {
    const f = await findings(
      'require-seccomp-profile',
      pod('securityContext:\n  seccompProfile: {}\ncontainers:\n  - name: app\n    image: app'),
    );
    expect(f.map((x) => x.path)).toEqual(['/spec/securityContext/seccompProfile', '/spec/containers/0']);
    expect(f.every((x) => x.fix?.safety === 'unsafe')).toBe(true);
  });
});

describe('require-run-as-non-root', () => {
  it('treats null as unset', async () => {
    const f = await findings(
      'require-run-as-non-root',
      pod('securityContext:\n  runAsNonRoot: null\ncontainers:\n  - name: app\n    image: app'),
    );
    expect(f.map((x) => x.path)).toEqual(['/spec/containers/0']);
  });
  it('checks pods with hostUsers: true', async () => {
    expect(
      await findings(
        'require-run-as-non-root',
        pod('hostUsers: true\ncontainers:\n  - name: app\n    image: app'),
      ),
    ).toHaveLength(1);
  });
});

describe('no-restricted-volume-types', () => {
  const withImage = pod(
    'containers:\n  - name: app\n    image: app\nvolumes:\n  - name: m\n    image: { reference: models:1 }',
  );
  it('admits image volumes by default and reports them when allowImageVolumes is false', async () => {
    expect(await findings('no-restricted-volume-types', withImage)).toEqual([]);
    const f = await findings('no-restricted-volume-types', withImage, { allowImageVolumes: false });
    expect(f.map((x) => x.path)).toEqual(['/spec/volumes/0/image']);
  });
});

describe('no-unconfined-apparmor', () => {
  it('reads the annotations of a PodTemplate next to its spec', async () => {
    const yaml = `apiVersion: v1
kind: PodTemplate
metadata:
  name: t
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
template:
  metadata:
    annotations:
      container.apparmor.security.beta.kubernetes.io/app: unconfined
  spec:
    containers:
      - name: app
        image: app
`;
    const f = await findings('no-unconfined-apparmor', yaml);
    expect(f.map((x) => x.path)).toEqual([
      '/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app',
    ]);
  });
  it('accepts an empty annotation value', async () => {
    const yaml = pod(
      'containers:\n  - name: app\n    image: app',
      '  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: ""\n',
    );
    expect(await findings('no-unconfined-apparmor', yaml)).toEqual([]);
  });
});

describe('no-unsafe-sysctls', () => {
  it('holds the fourteen safe sysctls of policy v1.37', () => {
    expect(SAFE_SYSCTLS.size).toBe(14);
  });
  it('reports a sysctl without a name', async () => {
    expect(
      await findings(
        'no-unsafe-sysctls',
        pod('securityContext:\n  sysctls:\n    - value: "1"\ncontainers:\n  - name: app\n    image: app'),
      ),
    ).toHaveLength(1);
  });
});

describe('no-host-port', () => {
  it('reports every non-zero hostPort by default', async () => {
    const yaml = pod(
      'containers:\n  - name: app\n    image: app\n    ports:\n      - containerPort: 9100\n        hostPort: 9100',
    );
    expect(await findings('no-host-port', yaml)).toHaveLength(1);
    expect(await findings('no-host-port', yaml, { allowedHostPorts: [9100] })).toEqual([]);
  });
});
