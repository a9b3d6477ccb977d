/** Entry of dist/bundle/start.cjs (required by bin/shipshape.js): start the CLI from its folder. */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './start.js';

start(dirname(fileURLToPath(import.meta.url)));
