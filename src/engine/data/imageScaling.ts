/**
 * Image-like tables: many numeric columns named as one numbered series (`p0 … p63`,
 * `pixel1 … pixel784`) whose values share one range are pixels. They are scaled as an image —
 * x' = (x − low) / (high − low) with ONE low/high for the whole series, as the NEON paper
 * scales the digits by pixels / 16 (Kauffmann et al., arXiv:1906.07633, section 5) — instead of
 * being standardised column by column. Per-column standardisation divides a rarely inked border
 * pixel by its tiny standard deviation, so a handful of rows with ink there become an outlier
 * cluster (digits: a 29-row cluster, accuracy 0.59 instead of 0.79).
 *
 * The scaling is an affine map per column, so it is recorded as an ordinary numeric transform
 * (mean = low, std = high − low) in the preprocessing and a model file reproduces it exactly.
 */

/** Fewest columns of one numbered series that count as an image (8 x 8 pixels, as digits). */
export const MIN_IMAGE_COLUMNS = 64;
/**
 * Same range: the median column spans at least this share of the series' common range (some
 * border pixels are rarely inked; most pixels reach the top of the range).
 */
const MIN_MEDIAN_SPAN = 0.5;

/** A numbered name: prefix (letters, `_`, `-`, `.` or space) then an index. */
const NUMBERED = /^([^\d]*?)[ _.-]?(\d+)$/;

/** `p12` -> { prefix: 'p', index: 12 }; undefined for a name that is not numbered. */
export function numberedName(name: string): { prefix: string; index: number } | undefined {
  const m = NUMBERED.exec(name.trim());
  return m ? { prefix: m[1]!.toLowerCase(), index: Number(m[2]) } : undefined;
}

export interface ImageScaling {
  /** Source column indices of the pixels, in header order. */
  readonly columns: readonly number[];
  /** Name prefix of the series (e.g. "p", "pixel"). */
  readonly prefix: string;
  /** Common range of every pixel: x' = (x − low) / (high − low). */
  readonly low: number;
  readonly high: number;
}

/** What the detection needs to know about a column (from the column analysis). */
export interface ImageCandidate {
  readonly name: string;
  /** Only numeric feature columns are scaled (constant and excluded ones are left as they are). */
  readonly numeric: boolean;
  /** A constant column (e.g. an always-blank border pixel): part of the series, not scaled. */
  readonly constant?: boolean;
  /** Parsed values, NaN where missing. */
  readonly values?: Float64Array;
}

/**
 * The pixel columns of a table, or undefined when it is not image-like: at least
 * MIN_IMAGE_COLUMNS columns named as one numbered series (constant ones count: blank border
 * pixels), at least half of them numeric, whose values are pixel intensities — non-negative,
 * whole numbers (0–16, 0–255) or within [0, 1] — with one common range [low, high] that the
 * median column spans at least half of. Measurements named x1 … x20 with decimals are not
 * pixels. Columns outside the series keep their usual standardisation.
 */
export function detectImageColumns(columns: readonly ImageCandidate[]): ImageScaling | undefined {
  const byPrefix = new Map<string, { all: number; numeric: number[] }>();
  columns.forEach((c, j) => {
    if (!c.numeric && !c.constant) return;
    const m = numberedName(c.name);
    if (!m) return;
    const entry = byPrefix.get(m.prefix) ?? { all: 0, numeric: [] };
    entry.all++;
    if (c.numeric && c.values) entry.numeric.push(j);
    byPrefix.set(m.prefix, entry);
  });
  let best: [string, { all: number; numeric: number[] }] | undefined;
  for (const entry of byPrefix) if (!best || entry[1].all > best[1].all) best = entry;
  if (!best || best[1].all < MIN_IMAGE_COLUMNS || 2 * best[1].numeric.length < best[1].all) return undefined;
  const [prefix, { numeric: series }] = best;
  let whole = true;

  let low = Infinity;
  let high = -Infinity;
  const spans: number[] = [];
  for (const j of series) {
    const values = columns[j]!.values!;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== v) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (whole && !Number.isInteger(v)) whole = false;
    }
    if (min > max) return undefined;
    if (min < low) low = min;
    if (max > high) high = max;
    spans.push(max - min);
  }
  if (!(high > low) || !Number.isFinite(high - low) || low < 0) return undefined;
  if (!whole && high > 1) return undefined;
  spans.sort((a, b) => a - b);
  const median = spans[Math.floor(spans.length / 2)]!;
  if (median < MIN_MEDIAN_SPAN * (high - low)) return undefined;
  return { columns: series, prefix, low, high };
}

/** The note that tells the user what was done (dataset notes). */
export function imageScalingNote(file: string, s: ImageScaling, names: readonly string[]): string {
  const first = names[s.columns[0]!] ?? '';
  const last = names[s.columns[s.columns.length - 1]!] ?? '';
  return `${file}: ${s.columns.length} columns ${first} … ${last} look like image pixels (one numbered series, one value range ${s.low}–${s.high}): scaled together as (x − ${s.low}) / ${s.high - s.low}, as images are, not standardised per column; a missing pixel reads as ${s.low}.`;
}
