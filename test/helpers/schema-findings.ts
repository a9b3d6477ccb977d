// The schema check's findings as the API-validation tests assert them: `line:column message`.
import { readFileSync } from 'node:fs';
import { lintText } from '../../src/index.js';

/** The k8s-schema findings of `yaml` (one file, the schema preset), optionally at another version. */
export async function schemaErrors(
  yaml: string,
  kubernetesVersion?: string,
  file = 't.yaml',
): Promise<string[]> {
  return (await schemaFindingsOf(file, yaml, kubernetesVersion)).map((f) => f.text);
}

/** A reader of fixtures in `dir`: their k8s-schema findings, optionally only within lines `from`–`to`. */
export function fixtureFindings(dir: URL) {
  return async (file: string, from = 1, to = Infinity): Promise<string[]> =>
    (await schemaFindingsOf(file, readFileSync(new URL(file, dir), 'utf8')))
      .filter((f) => f.line >= from && f.line <= to)
      .map((f) => f.text);
}

async function schemaFindingsOf(file: string, text: string, kubernetesVersion?: string) {
  const r = await lintText(file, text, {
    presets: ['schema'],
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  });
  return r.findings
    .filter((f) => f.ruleId === 'k8s-schema')
    .map((f) => ({
      line: f.location?.start.line ?? 0,
      text: `${f.location?.start.line}:${f.location?.start.column} ${f.message}`,
    }));
}
