/**
 * Header rows: whether the first record is a header, and unique column names.
 */
import { isMissingText, isNumberText, trimCell } from './cells';
import type { MissingValueRule } from './missingValues';

/**
 * Unique names, as pandas `read_csv` makes them: the first column of a name keeps it, later
 * ones get `name.1`, `name.2`, ... skipping any suffix that is already a name in the header,
 * so a user's own column (`temp.1`, `temp (2)`) never changes or loses its name. Empty names
 * become `column N` (1-based position), again never colliding. Notes say what was renamed.
 */
export function uniqueColumnNames(header: readonly string[], notes: string[], fileName: string): string[] {
  const taken = new Set<string>(header.filter((h) => h !== ''));
  const used = new Set<string>();
  const out: string[] = [];
  const renamed: string[] = [];
  const unnamed: string[] = [];
  for (let j = 0; j < header.length; j++) {
    const own = header[j];
    let name: string;
    if (own === '') {
      name = `column ${j + 1}`;
      for (let k = 2; taken.has(name) || used.has(name); k++) name = `column ${j + 1} (${k})`;
      unnamed.push(`"${name}"`);
    } else if (!used.has(own)) {
      name = own;
    } else {
      let k = 1;
      while (taken.has(`${own}.${k}`) || used.has(`${own}.${k}`)) k++;
      name = `${own}.${k}`;
      renamed.push(`"${own}" (column ${j + 1}) → "${name}"`);
    }
    used.add(name);
    out.push(name);
  }
  const list = (xs: string[]): string => xs.slice(0, 6).join(', ') + (xs.length > 6 ? `, ... (${xs.length} in all)` : '');
  if (renamed.length > 0) notes.push(`${fileName}: duplicate column names were made unique (as pandas does; no other column has these names): ${list(renamed)}.`);
  if (unnamed.length > 0) notes.push(`${fileName}: ${unnamed.length} column(s) without a header name are called ${list(unnamed)}.`);
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
