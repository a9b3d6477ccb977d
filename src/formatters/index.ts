// The registry of output formats, by the name users pass to `--format`.
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';
import type { Finding } from '../engine/types.js';
import type { FormatContext, Formatter } from './types.js';

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

/**
 * The whole report as one string, for tests and library callers with reports of ordinary size.
 * (A string cannot exceed V8's limit of about 512 MiB; write the chunks instead for huge reports.)
 */
export function formatToString(
  formatter: Formatter,
  findings: readonly Finding[],
  ctx: FormatContext,
): string {
  let text = '';
  for (const chunk of formatter(findings, ctx)) text += chunk;
  return text;
}

export type { FormatContext, Formatter, RuleMeta } from './types.js';
