// The registry of output formats, by the name users pass to `--format`.
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';
import type { Formatter } from './types.js';

/** Every format name, the default (`stylish`) first. */
export const formatNames = ['stylish', 'json', 'sarif', 'junit', 'github', 'gitlab'] as const;

/** A valid `--format` value. */
export type FormatName = (typeof formatNames)[number];

/** Formatter for each format name. */
export const formatters: Readonly<Record<FormatName, Formatter>> = {
  stylish,
  json,
  sarif,
  junit,
  github,
  gitlab,
};

/** Narrow a user-supplied string to a format name. */
export function isFormatName(name: string): name is FormatName {
  return (formatNames as readonly string[]).includes(name);
}

export type { FormatContext, Formatter, RuleMeta } from './types.js';
