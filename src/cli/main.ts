/**
 * `neon-cluster`: the command-line shell over the same engine the extension uses, adding only
 * I/O. One top-level catch prints `Error [DataError]: message` on stderr (or JSON with
 * --error-format json) and sets the exit code: 1 for data / model / option problems, 2 for a
 * mistake in the command line, 130 when interrupted (143 on SIGTERM, 129 on SIGHUP). main() only runs when this file is the
 * entry point, so tests import `run`.
 */
import { evaluateCommand } from './evaluate';
import { explainCommand } from './explain';
import { fitCommand } from './fit';
import { checkOutputTargets, refuseInputAsOutput } from './outputFile';
import { parseCommandLine, UsageError, type CommandName } from './options';
import { progressReporter } from './progress';
import type { CliIo, CommandContext } from './context';

export type { CliIo } from './context';

const HANDLERS: Readonly<Record<CommandName, (ctx: CommandContext) => Promise<void>>> = {
  fit: fitCommand,
  explain: explainCommand,
  evaluate: evaluateCommand,
};

/** --error-format is looked at before parsing so that parse errors honour it too. */
function wantsJsonErrors(argv: readonly string[]): boolean {
  const i = argv.indexOf('--error-format');
  return (i >= 0 && argv[i + 1] === 'json') || argv.includes('--error-format=json');
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return 2;
  if (e instanceof Error && e.name === 'CancelledError') return 130;
  return 1;
}

/** The help a usage error points to: the command's own when argv names one, else the overview. */
function helpHint(argv: readonly string[]): string {
  const command = argv[0];
  return command !== undefined && Object.hasOwn(HANDLERS, command) ? `Run 'neon-cluster ${command} --help' for its options.` : "Run 'neon-cluster --help' for usage.";
}

function formatError(e: unknown, json: boolean, exitCode: number, hint: string): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const type = err.name || 'Error';
  if (json) return JSON.stringify({ error: { type, message: err.message, exitCode } }) + '\n';
  const known = ['UsageError', 'DataError', 'ModelError', 'OptionError', 'CancelledError'].includes(type);
  const after = e instanceof UsageError ? `\n${hint}\n` : '\n';
  return `Error [${type}]: ${err.message}${after}${!known && process.env.NEON_DEBUG && err.stack ? `${err.stack}\n` : ''}`;
}

/** Runs one command line; resolves to the process exit code. */
export async function run(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const json = wantsJsonErrors(argv);
  let progress: ReturnType<typeof progressReporter> | undefined;
  try {
    const parsed = parseCommandLine(argv);
    if ('help' in parsed) {
      io.stdout(parsed.help);
      return 0;
    }
    if (parsed.data === undefined) throw new UsageError(`${parsed.command} needs a DATA file (CSV table, JSONL, text folder, ...)`);
    const showProgress = io.stderrIsTTY || parsed.values.progress === true;
    progress = showProgress ? progressReporter(io.stderr, io.stderrIsTTY) : undefined;
    const ctx: CommandContext = { values: parsed.values, data: parsed.data, io, hooks: { signal, onProgress: progress?.report } };
    refuseInputAsOutput(parsed.values, parsed.data);
    checkOutputTargets(parsed.values);
    await HANDLERS[parsed.command](ctx);
    progress?.done();
    return 0;
  } catch (e) {
    progress?.done();
    const code = exitCodeFor(e);
    io.stderr(formatError(e, json, code, helpHint(argv)));
    return code;
  }
}

/** The signals that cancel a run, and the exit code each gives (128 + its number). */
const SIGNAL_EXITS: ReadonlyArray<readonly [NodeJS.Signals, number]> = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
];

export async function main(): Promise<void> {
  const controller = new AbortController();
  // First Ctrl-C cancels the job cleanly (exit 130); a second one kills the process. SIGTERM
  // (timeout, CI cancel, Kubernetes) and SIGHUP do the same, so the temporary output file is
  // removed too (review7 F6), and exit 128 + the signal's number as the shell reports a kill.
  let signalExit: number | undefined;
  for (const [signal, code] of SIGNAL_EXITS) {
    process.once(signal, () => {
      signalExit ??= code;
      controller.abort();
    });
  }
  // `neon-cluster explain ... | head` closes stdout early: stop quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    controller.abort();
    process.exit(0);
  });
  const io: CliIo = {
    stdout: (s) => void process.stdout.write(s),
    stdoutAsync: (s) => (process.stdout.write(s) ? Promise.resolve() : new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()))),
    stdin: process.stdin,
    stderr: (s) => void process.stderr.write(s),
    stderrIsTTY: process.stderr.isTTY === true,
  };
  const code = await run(process.argv.slice(2), io, controller.signal);
  process.exitCode = code === 130 && signalExit !== undefined ? signalExit : code;
}

if (require.main === module) void main();
