// The example CRD the schema tests register: widgets.example.com, one served v1 version.

/** A CRD of `Widget` (example.com/v1) whose version has `openAPIV3Schema` (apiVersion overridable). */
export const widgetCrd = (openAPIV3Schema: unknown, apiVersion = 'apiextensions.k8s.io/v1') => ({
  apiVersion,
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }],
  },
});
