// What the start-up tests share: the built CLI and a clean one-Deployment file to lint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI (dist/ must be built: test/helpers/fresh-dist.ts). */
export const BIN = join(ROOT, 'bin/shipshape.js');

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

/**
 * A temporary folder for one test file (removed after its tests) holding `deployment.yaml`, the
 * {@link DEPLOYMENT}. Call at the top level of the test file.
 */
export function startupWork(prefix: string): { work: string; file: string } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const file = join(work, 'deployment.yaml');
  writeFileSync(file, DEPLOYMENT);
  return { work, file };
}
