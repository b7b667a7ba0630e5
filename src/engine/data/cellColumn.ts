/**
 * Columnar storage of table cells: every cell's reading as a number (Float64Array), its kind
 * (Uint8Array, CELL_* of numberFormat.ts) and, for text cells, a dictionary code (Int32Array
 * into `texts`). No string object per cell: a text value is stored once per distinct value.
 *
 * `CellColumnBuilder` is the one place cells are classified into this form; every table
 * reader feeds it (the CSV reader through its byte-level fast path for plain numbers).
 */
import { classifyText, trimCell } from './cells';
import type { MissingValueRule } from './missingValues';
import { CELL_EMPTY, CELL_NA_TOKEN, CELL_NUMBER, CELL_TEXT, type CellKind, type FormattedNumber, NumberFormatEvidence } from './numberFormat';

/** One column of a chunk or of a whole table (length = rows). */
export interface CellColumn {
  /** The number read from each cell (decimal-point reading for ambiguous cells); NaN where there is none. */
  readonly values: Float64Array;
  /** Each cell's CELL_* kind; undefined when every cell is CELL_NUMBER. */
  readonly kinds?: Uint8Array;
  /** Index into `texts` for text and missing-token cells, -1 elsewhere; undefined when no cell holds text. */
  readonly codes?: Int32Array;
  /** Distinct texts of the column (at least those the codes of this chunk refer to). */
  readonly texts: readonly string[];
  /** Number formatting seen in these cells. */
  readonly evidence: NumberFormatEvidence;
}

/** The kind of cell `i` of a column. */
export function kindAt(col: CellColumn, i: number): CellKind {
  return (col.kinds ? col.kinds[i] : CELL_NUMBER) as CellKind;
}

/** The text of a text / missing-token cell, else undefined. */
export function textAt(col: CellColumn, i: number): string | undefined {
  if (!col.codes) return undefined;
  const c = col.codes[i];
  return c >= 0 ? col.texts[c] : undefined;
}

/**
 * Accumulates cells of one column, chunk by chunk. `finish()` hands out the cells so far as a
 * CellColumn and starts a new chunk. The dictionary persists across chunks (codes stay valid;
 * `texts` only grows) unless it passes `dictionaryLimit`, when the next chunk starts a new one.
 */
export class CellColumnBuilder {
  values: Float64Array;
  kinds: Uint8Array;
  codes: Int32Array | undefined;
  n = 0;
  /** Any cell that is not CELL_NUMBER in this chunk. */
  mixed = false;
  evidence = new NumberFormatEvidence();
  private dict = new Map<string, number>();
  private texts: string[] = [];
  /** CELL_TEXT or CELL_NA_TOKEN per dictionary entry: a text seen before is not classified again. */
  private textKinds: CellKind[] = [];
  private readonly scratch: FormattedNumber = { kind: CELL_NUMBER, value: 0 };

  constructor(
    readonly rule: MissingValueRule,
    private capacity: number,
    private readonly dictionaryLimit = Number.POSITIVE_INFINITY,
  ) {
    this.values = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
  }

  pushNumber(v: number): void {
    this.values[this.n++] = v;
  }

  /** A plain number that is ambiguous or non-finite, or any other non-text kind. */
  pushKind(kind: CellKind, v: number): void {
    this.kinds[this.n] = kind;
    this.values[this.n++] = v;
    this.mixed = true;
  }

  pushEmpty(): void {
    this.kinds[this.n] = CELL_EMPTY;
    this.values[this.n++] = NaN;
    this.mixed = true;
  }

  /** A cell given as text (untrimmed): classified by the shared rule. */
  pushText(raw: string): void {
    const t = trimCell(raw);
    const known = this.dict.get(t);
    if (known !== undefined) {
      // Categorical columns repeat a few texts: classify each distinct text once.
      this.kinds[this.n] = this.textKinds[known];
      this.values[this.n] = NaN;
      this.codeArray()[this.n++] = known;
      this.mixed = true;
      return;
    }
    const kind = classifyText(t, this.rule, this.scratch, this.evidence);
    if (kind === CELL_NUMBER) {
      this.values[this.n++] = this.scratch.value;
      return;
    }
    if (kind === CELL_TEXT || kind === CELL_NA_TOKEN) {
      this.kinds[this.n] = kind;
      this.values[this.n] = NaN;
      this.codeArray()[this.n++] = this.code(t, kind);
      this.mixed = true;
      return;
    }
    if (kind === CELL_EMPTY) {
      this.pushEmpty();
      return;
    }
    this.pushKind(kind, this.scratch.value);
  }

  /** Room for `capacity` cells in this chunk (the cells so far are kept). */
  grow(capacity: number): void {
    const values = new Float64Array(capacity);
    values.set(this.values.subarray(0, this.n));
    const kinds = new Uint8Array(capacity);
    kinds.set(this.kinds.subarray(0, this.n));
    if (this.codes) {
      const codes = new Int32Array(capacity).fill(-1);
      codes.set(this.codes.subarray(0, this.n));
      this.codes = codes;
    }
    this.values = values;
    this.kinds = kinds;
    this.capacity = capacity;
  }

  private codeArray(): Int32Array {
    if (!this.codes) {
      this.codes = new Int32Array(this.capacity).fill(-1);
    }
    return this.codes;
  }

  private code(t: string, kind: CellKind): number {
    const c = this.texts.length;
    this.texts.push(t);
    this.textKinds.push(kind);
    this.dict.set(t, c);
    return c;
  }

  /**
   * The cells pushed since the last finish(), as a column; the builder starts a new chunk of
   * `nextCapacity` cells (0 after the last chunk).
   */
  finish(nextCapacity = this.capacity): CellColumn {
    const n = this.n;
    // Arrays much larger than their cells (a one-chunk read sized from an estimate) are
    // trimmed, so the table does not keep the spare room alive.
    const trim = n < this.capacity - (this.capacity >> 4);
    const fit = <T extends Float64Array | Uint8Array | Int32Array>(a: T): T => (trim ? a.slice(0, n) : a.subarray(0, n)) as T;
    const col: CellColumn = {
      values: fit(this.values),
      ...(this.mixed ? { kinds: fit(this.kinds) } : {}),
      ...(this.codes ? { codes: fit(this.codes) } : {}),
      texts: this.texts,
      evidence: this.evidence,
    };
    this.capacity = nextCapacity;
    this.values = new Float64Array(nextCapacity);
    this.kinds = new Uint8Array(nextCapacity);
    this.codes = undefined;
    this.n = 0;
    this.mixed = false;
    this.evidence = new NumberFormatEvidence();
    if (this.texts.length > this.dictionaryLimit) {
      this.dict = new Map();
      this.texts = [];
      this.textKinds = [];
    }
    return col;
  }
}

/**
 * A cell as display text: text cells as written, numbers in their shortest form (`1250` for
 * a cell written `"1,250"`: the value that was used), '' for empty cells.
 */
export function cellText(col: CellColumn, i: number): string {
  const k = col.kinds ? col.kinds[i] : CELL_NUMBER;
  if (k === CELL_TEXT || k === CELL_NA_TOKEN) return col.texts[(col.codes as Int32Array)[i]];
  if (k === CELL_EMPTY) return '';
  return String(col.values[i]);
}

/** Rows of display texts (rows x columns), for tables small enough to show cell by cell. */
export function tableRowsText(columns: readonly CellColumn[], rows: number): string[][] {
  const out: string[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const r: string[] = new Array(columns.length);
    for (let j = 0; j < columns.length; j++) r[j] = cellText(columns[j], i);
    out[i] = r;
  }
  return out;
}
