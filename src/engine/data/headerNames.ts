/**
 * Header rows: whether the first record is a header, and unique column names.
 */
import { isMissingText, isNumberText, trimCell } from './cells';
import type { MissingValueRule } from './missingValues';

/**
 * Unique names, as pandas `read_csv` makes them, so `df["…"]` in a notebook and our notes,
 * panel and exports name the same column:
 *  - an empty name becomes `Unnamed: j`, j the 0-based position (a `df.to_csv()` index column,
 *    whose header cell is empty, is `Unnamed: 0`);
 *  - the first column of a name keeps it, later ones get `name.1`, `name.2`, ... skipping any
 *    suffix that is already a name in the header;
 *  - named columns are made unique before the unnamed ones, so a user's own column (`temp.1`,
 *    even a literal `Unnamed: 0`) never changes or loses its name: an empty header cell that
 *    collides with it is the one suffixed (`Unnamed: 0.1`).
 * This is pandas' C parser (`pandas/_libs/parsers.pyx`, `_get_header`: `Unnamed: {i}`, then the
 * `col_loop_order` mangling; checked against pandas 1.5.3 on test/fixtures/pandas).
 * Notes say what was renamed.
 */
export function uniqueColumnNames(header: readonly string[], notes: string[], fileName: string): string[] {
  const given = header.map((h, j) => (h === '' ? `Unnamed: ${j}` : h));
  const taken = new Set<string>(given);
  const used = new Set<string>();
  const out: string[] = new Array(header.length);
  const renamed: { j: number; text: string }[] = [];
  const unnamed: { j: number; text: string }[] = [];
  const order = [...header.keys()].filter((j) => header[j] !== '').concat([...header.keys()].filter((j) => header[j] === ''));
  for (const j of order) {
    const own = given[j];
    let name = own;
    if (used.has(own)) {
      let k = 1;
      while (taken.has(`${own}.${k}`) || used.has(`${own}.${k}`)) k++;
      name = `${own}.${k}`;
      if (header[j] !== '') renamed.push({ j, text: `"${own}" (column ${j + 1}) → "${name}"` });
    }
    if (header[j] === '') unnamed.push({ j, text: `"${name}"` });
    used.add(name);
    out[j] = name;
  }
  const list = (xs: { j: number; text: string }[]): string => {
    const texts = [...xs].sort((p, q) => p.j - q.j).map((x) => x.text);
    return texts.slice(0, 6).join(', ') + (texts.length > 6 ? `, ... (${texts.length} in all)` : '');
  };
  if (renamed.length > 0) notes.push(`${fileName}: duplicate column names were made unique (as pandas does; no other column has these names): ${list(renamed)}.`);
  if (unnamed.length > 0) notes.push(`${fileName}: ${unnamed.length} column(s) without a header name are called ${list(unnamed)}, as pandas names them.`);
  return out;
}

/**
 * The strong sign of a header: one of the first row's cells is text in a column whose other
 * values (up to 200 rows) are at least 80% numbers.
 */
export function hasTextOverNumbers(records: readonly (readonly string[])[], rule: MissingValueRule): boolean {
  const first = records[0];
  const sample = records.slice(1, 201);
  for (let j = 0; j < first.length; j++) {
    if (isMissingText(first[j], rule) || isNumberText(first[j], rule)) continue;
    let numeric = 0;
    let present = 0;
    for (const r of sample) {
      if (j >= r.length || isMissingText(r[j], rule)) continue;
      present++;
      if (isNumberText(r[j], rule)) numeric++;
    }
    if (present > 0 && numeric >= 0.8 * present) return true;
  }
  return false;
}

/**
 * Header detection: the first row is a header when one of its cells is text in a column whose
 * other values are mostly numbers; it is data when all its cells are numbers. For all-text
 * tables it is a header when its values are non-empty and none reappears below in its column.
 */
export function looksLikeHeader(records: readonly (readonly string[])[], rule: MissingValueRule): boolean {
  const first = records[0];
  const sample = records.slice(1, 201);
  if (first.every((cell) => isNumberText(cell, rule))) return false;
  if (sample.length === 0) return true;
  let textColumnsRepeat = false;
  let anyEmpty = false;
  for (let j = 0; j < first.length; j++) {
    if (isMissingText(first[j], rule)) {
      if (trimCell(first[j]) === '') anyEmpty = true;
      continue;
    }
    if (isNumberText(first[j], rule)) continue;
    let numeric = 0;
    let present = 0;
    const name = trimCell(first[j]);
    for (const r of sample) {
      if (j >= r.length || isMissingText(r[j], rule)) continue;
      present++;
      if (isNumberText(r[j], rule)) numeric++;
      else if (trimCell(r[j]) === name) textColumnsRepeat = true;
    }
    if (present > 0 && numeric >= 0.8 * present) return true;
  }
  return !anyEmpty && !textColumnsRepeat;
}
