// Runs a node entry script with its arguments and, at exit, writes the process's peak RSS (KiB)
// to stderr as `@@maxrss <n>`: a portable way for benchmarks to measure memory of a whole run.
const [, , entry, ...args] = process.argv;
process.argv = [process.argv[0], entry, ...args];
process.on('exit', () => process.stderr.write(`@@maxrss ${process.resourceUsage().maxRSS}\n`));
await import(new URL(entry, `file://${process.cwd()}/`).href);
