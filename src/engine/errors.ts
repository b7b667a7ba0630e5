/**
 * Typed errors. Every message a user may see names what is wrong and where
 * (file, line, column) so it can be acted on without reading a stack trace.
 */

/** The input data is unusable: names the file and, where known, the line and column. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(DataError.format(message, file, line, column));
  }

  private static format(message: string, file?: string, line?: number, column?: string): string {
    const where = [file, line !== undefined ? `line ${line}` : undefined, column !== undefined ? `column "${column}"` : undefined]
      .filter((s) => s !== undefined)
      .join(', ');
    return where ? `${where}: ${message}` : message;
  }
}

/** A model file or model parameters are malformed or do not fit the data. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/** Bad options / hyperparameters (fails at construction, naming the constraint). */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

/** The job was cancelled through its AbortSignal. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

export function isCancelled(e: unknown): e is CancelledError {
  return e instanceof Error && e.name === 'CancelledError';
}
