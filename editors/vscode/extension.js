// Minimal VS Code client for `shipshape lsp`: starts the server over stdio for YAML and JSON files
// and forwards the `shipshape.*` settings. See editors/vscode/README.md.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- VS Code loads extensions as CommonJS */
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

function settings() {
  const c = vscode.workspace.getConfiguration('shipshape');
  return {
    files: c.get('files', []),
    debounceMs: c.get('debounceMs', 150),
    workspaceContext: c.get('workspaceContext', true),
    maxDiagnostics: c.get('maxDiagnostics', 1000),
  };
}

async function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration('shipshape')
    .get('command', ['shipshape', 'lsp', '--stdio']);
  const server = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient(
    'shipshape',
    'shipshape',
    { run: server, debug: server },
    {
      // The server itself decides which of these are Kubernetes manifests.
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', language: 'json' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      initializationOptions: settings(),
      synchronize: { configurationSection: 'shipshape' },
    },
  );
  context.subscriptions.push(client);
  await client.start();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
