/**
 * Entry of the language server's lint worker (dist/bundle/lsp-worker.mjs, or dist/lsp/worker.js):
 * a worker thread that owns a {@link LintService} and answers the server's messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LintService, type LintServiceOptions } from './lint-service.js';
import type { ToWorker, FromWorker } from './worker-client.js';

const port = parentPort;
if (port) {
  const service = new LintService(workerData as LintServiceOptions);
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'lint':
        service.lint(m.request).then(
          (result) => port.postMessage({ id: m.id, result } satisfies FromWorker),
          (err: unknown) =>
            port.postMessage({
              id: m.id,
              error: err instanceof Error ? (err.stack ?? err.message) : String(err),
            } satisfies FromWorker),
        );
        break;
      case 'newer':
        service.newer(m.uri, m.version);
        break;
      case 'close':
        service.close(m.uri);
        break;
      case 'files':
        service.filesChanged(m.changes, m.config);
        break;
    }
  });
}
