/**
 * Which cell texts mean "no value". One rule for every table reader (CSV, Parquet string
 * columns), for `fit`, `explain` and the extension.
 *
 * The default set is pandas' `read_csv` default (`keep_default_na=True`, pandas 1.5
 * `STR_NA_VALUES`) plus `?` (the UCI repository's convention), compared after trimming and
 * case-insensitively: `''`, `NA`, `N/A`, `n/a`, `#N/A`, `#N/A N/A`, `#NA`, `<NA>`, `NULL`,
 * `null`, `NaN`, `-NaN`, `nan`, `-nan`, `None`, `1.#IND`, `-1.#IND`, `1.#QNAN`, `-1.#QNAN`, `?`.
 * Tokens the user adds (`--na-values`, setting `neonClusterExplorer.naValues`) are compared
 * exactly (after trimming), as pandas' `na_values` are; numeric tokens (`-999`) also match by
 * value (`-999.0`). `keepDefaultNa: false` leaves only the user's tokens and the empty cell.
 *
 * A default token that looks like the other values of a text column (`NA` among two-letter
 * country codes, `None` among capitalised categories) is kept as a value, with a note: see
 * `looksLikeColumnValue`. Tokens the user named are always missing.
 */

/** pandas 1.5 `STR_NA_VALUES` (without the empty string) plus `?`. */
export const DEFAULT_NA_VALUES: readonly string[] = [
  'NA', 'N/A', 'n/a', '#N/A', '#N/A N/A', '#NA', '<NA>', 'NULL', 'null', 'NaN', '-NaN', 'nan', '-nan', 'None',
  '1.#IND', '-1.#IND', '1.#QNAN', '-1.#QNAN', '?',
];

const DEFAULT_LOWER = new Set(DEFAULT_NA_VALUES.map((t) => t.toLowerCase()));
const LONGEST_DEFAULT = Math.max(...DEFAULT_NA_VALUES.map((t) => t.length));

/** How missing values are spelled (pandas `na_values` / `keep_default_na`). */
export interface MissingValueOptions {
  /** Extra tokens read as missing (exact match after trimming). */
  readonly naValues?: readonly string[];
  /** Keep the default tokens (default true). */
  readonly keepDefaultNa?: boolean;
}

/** The compiled rule: `match(t)` for a trimmed cell text. */
export class MissingValueRule {
  private readonly user: Set<string>;
  /** User tokens that are numbers: matched by value in numeric cells. */
  readonly numericTokens: ReadonlySet<number>;
  private readonly keepDefault: boolean;

  constructor(options: MissingValueOptions = {}) {
    this.keepDefault = options.keepDefaultNa !== false;
    this.user = new Set((options.naValues ?? []).map((t) => t.trim()).filter((t) => t !== ''));
    const numeric = new Set<number>();
    for (const t of this.user) {
      const v = Number(t);
      if (t !== '' && Number.isFinite(v)) numeric.add(v);
    }
    this.numericTokens = numeric;
  }

  /** Whether the trimmed, non-empty text `t` is a missing-value token. */
  isToken(t: string): boolean {
    if (this.user.has(t)) return true;
    return this.keepDefault && t.length <= LONGEST_DEFAULT && DEFAULT_LOWER.has(t.toLowerCase());
  }

  /** Whether `t` is a token the user named (always missing, never kept as a value). */
  isUserToken(t: string): boolean {
    return this.user.has(t);
  }

  /** A number that the user named as a missing-value token (e.g. -999). */
  isNumericToken(v: number): boolean {
    return this.numericTokens.size > 0 && this.numericTokens.has(v);
  }

  /** The tokens in force, for messages. */
  describe(): string {
    const parts: string[] = [];
    if (this.keepDefault) parts.push('the default tokens');
    if (this.user.size > 0) parts.push([...this.user].map((t) => `"${t}"`).join(', '));
    return parts.length ? parts.join(' and ') : 'only empty cells';
  }
}

/**
 * Character-class shape of a value: `A` upper-case letter, `a` lower-case, `9` digit, other
 * characters as themselves. Compared exactly for short tokens (≤ 3 characters: codes like
 * `NA` vs `US`), else with runs collapsed (`None`, `Low`, `Severe` all become `Aa`).
 */
function shapeOf(s: string, collapse: boolean): string {
  let out = '';
  let last = '';
  for (const ch of s) {
    const c = ch >= 'A' && ch <= 'Z' ? 'A' : ch >= 'a' && ch <= 'z' ? 'a' : ch >= '0' && ch <= '9' ? '9' : ch;
    if (collapse && c === last) continue;
    out += c;
    last = c;
  }
  return out;
}

/**
 * Whether a default missing-value token is more plausibly one of the column's own values:
 * the token is alphabetic (`NA`, `None`, `NULL`, ...) and at least 90% of the column's other
 * distinct values (at least 2 of them) have its shape, e.g. `NA` among `US`, `DE`, `FR`.
 */
export function looksLikeColumnValue(token: string, otherValues: Iterable<string>): boolean {
  if (!/^[A-Za-z]+$/.test(token)) return false;
  const collapse = token.length > 3;
  const shape = shapeOf(token, collapse);
  let total = 0;
  let same = 0;
  for (const v of otherValues) {
    total++;
    if (shapeOf(v, collapse) === shape) same++;
  }
  return total >= 2 && same >= 0.9 * total;
}
