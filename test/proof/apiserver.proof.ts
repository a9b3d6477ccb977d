// The oracle harness itself (test/proof/apiserver.ts): it discovers the API, judges what the API
// server judges (messages and warnings as the server words them), and leaves nothing behind.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './apiserver.js';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer({ namespaces: ['team-a'] });
});
afterAll(async () => {
  await server?.stop();
});

const configMap = (name: string, namespace = 'team-a') =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { k: 'v' } });

describe('the kube-apiserver oracle', () => {
  it('discovers kinds with their resource and scope', () => {
    expect(server.resources.get('apps/v1/Deployment')).toMatchObject({
      resource: 'deployments',
      namespaced: true,
    });
    expect(server.resources.get('v1/Namespace')).toMatchObject({ resource: 'namespaces', namespaced: false });
    expect(server.resources.get('rbac.authorization.k8s.io/v1/ClusterRole')?.namespaced).toBe(false);
    // subresources are not kinds
    expect([...server.resources.values()].some((r) => r.resource.includes('/'))).toBe(false);
  });

  it('accepts a valid object and persists nothing (dry run)', async () => {
    expect(await server.judge(configMap('settings'))).toMatchObject({ accepted: true, message: '' });
    // the same name again is still accepted: the first create was not stored
    expect((await server.judge(configMap('settings'))).accepted).toBe(true);
  });

  it("rejects with the API server's message", async () => {
    const v = await server.judge(configMap('Settings'));
    expect(v.accepted).toBe(false);
    expect(v.status).toBe(422);
    expect(v.message).toContain('metadata.name: Invalid value: "Settings": a lowercase RFC 1123 subdomain');
  });

  it('reads YAML as the server does, strict: a duplicate key is an error', async () => {
    const v = await server.judge(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: team-a\ndata:\n  k: v\n  k: w\n',
      {
        yaml: true,
      },
    );
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('key "k" already set in map');
  });

  it('rejects unknown fields (fieldValidation=Strict)', async () => {
    const v = await server.judge(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'team-a' },
        dat: {},
      }),
    );
    expect(v.accepted).toBe(false);
    expect(v.message).toContain('unknown field "dat"');
  });

  it('returns warnings of accepted objects', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'team-a' },
      spec: {
        containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 80 }] }],
      },
    };
    const v = await server.judge(JSON.stringify(pod));
    expect(v.accepted).toBe(true);
    expect(v.warnings).toEqual([
      'spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]',
    ]);
  });

  it('needs the namespace to exist, and judges a kind the server does not serve as rejected', async () => {
    expect((await server.judge(configMap('a', 'nowhere'))).message).toContain(
      'namespaces "nowhere" not found',
    );
    expect(
      await server.judge(
        JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
      ),
    ).toMatchObject({
      accepted: false,
      message: 'no matches for kind "Widget" in version "example.com/v1"',
    });
  });

  it('judges many in parallel, in input order', async () => {
    const items = Array.from({ length: 64 }, (_, i) => ({ text: configMap(i % 2 ? `ok-${i}` : `Bad-${i}`) }));
    const verdicts = await server.judgeAll(items, 16);
    expect(verdicts.map((v) => v.accepted)).toEqual(items.map((_, i) => i % 2 === 1));
  });

  it('stops both processes and removes its directory', async () => {
    const other = await startApiServer();
    const { pids, dir } = other;
    expect(pids).toHaveLength(2);
    expect(existsSync(dir)).toBe(true);
    await other.stop();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
