// API-server-grade checks (src/schema/api) through the schema preset, as a user sees them.
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

describe('API-server validation in the schema check', () => {
  it('reports a name the API server refuses, at the name', async () => {
    const errors = await schemaErrors('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Web-App\n');
    expect(errors).toEqual([
      `4:9 metadata.name: Invalid value: "Web-App": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    ]);
  });

  it('requires at least one container, which the OpenAPI document leaves optional', async () => {
    const errors = await schemaErrors(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n',
    );
    expect(errors).toEqual(['6:3 spec.containers: Required value']);
  });

  it('never prints a value the redaction rule hides (a credential-named label)', async () => {
    const errors = await schemaErrors(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    db-password: "hunter2!x"\n',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^6:18 metadata\.labels: Invalid value: a valid label/);
    expect(errors[0]).not.toContain('hunter2');
  });
});
