// docs/webhook.md tells the truth about the deploy artefacts: the image name it documents is the one
// webhook/ and the chart use (nothing is published; users build and push it), and the sections the
// Dockerfile, the chart and the config schema send readers to exist.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const DOC = read('docs/webhook.md');

/** The headings of docs/webhook.md, without the leading #s. */
const headings = new Set([...DOC.matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1]!.trim()));

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((f) => {
    const rel = join(dir, f);
    return statSync(join(ROOT, rel)).isDirectory() ? filesUnder(rel) : [rel];
  });
}

describe('docs/webhook.md', () => {
  it('documents the image name webhook/ and the chart use, and how to build and push it', () => {
    const deployment = parseYaml(read('webhook/base/deployment.yaml')) as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    const image = deployment.spec.template.spec.containers[0]!.image;
    const values = parseYaml(read('charts/shipshape/values.yaml')) as { image: { repository: string } };
    const chart = parseYaml(read('charts/shipshape/Chart.yaml')) as { appVersion: string };
    expect(`${values.image.repository}:${chart.appVersion}`).toBe(image);
    expect(DOC).toContain(image);
    expect(DOC).toContain(`docker build -t ${image} .`);
    expect(DOC).toContain(`buildah bud -t ${image} .`);
    expect(DOC).toContain(`--set image.repository=`);
    // no image is published anywhere: the docs must not send users to one
    expect(DOC).not.toMatch(/ghcr\.io|docker\.io\/shipshape|quay\.io/);
  });

  it('has every section the Dockerfile, the chart, webhook/ and the config schema point to', () => {
    const files = [
      'Dockerfile',
      'schemas/config.schema.json',
      'src/config/config.ts',
      ...filesUnder('charts/shipshape'),
      ...filesUnder('webhook'),
    ];
    const refs = files.flatMap((f) =>
      [
        ...read(f).matchAll(/docs\/webhook\.md(?: \(|, )"([^"]+)"|docs\/webhook\.md, ([A-Z][\w ]+)\)/g),
      ].map((m) => ({ file: f, heading: (m[1] ?? m[2])! })),
    );
    expect(refs.map((r) => r.heading)).toEqual(
      expect.arrayContaining(['Build the image', 'Install with Helm', 'Mutations']),
    );
    for (const r of refs) expect(headings.has(r.heading), `${r.file} → "${r.heading}"`).toBe(true);
  });
});
