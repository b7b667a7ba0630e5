/**
 * pandas' index written into a Parquet file: `df.to_parquet()` stores an index that is not the
 * default RangeIndex as a column named `__index_level_0__` (`__index_level_1__`, … for a
 * MultiIndex). It identifies rows and is never a feature (trial7 D11c): the reader shows it as
 * `index (__index_level_0__)` and column typing makes it an identifier whatever its values.
 */

const PANDAS_INDEX = /^__index_level_\d+__$/;
const SHOWN = /^index \((__index_level_\d+__)\)$/;

/** `__index_level_0__` → `index (__index_level_0__)`; any other name as it is. */
export function pandasIndexDisplayName(name: string): string {
  return PANDAS_INDEX.test(name) ? `index (${name})` : name;
}

/** Whether a column (by its shown or stored name) is pandas' index written by to_parquet. */
export function isPandasIndexName(name: string): boolean {
  return PANDAS_INDEX.test(name) || SHOWN.test(name);
}

/** The excluded reason of such a column. */
export const PANDAS_INDEX_REASON = "pandas' index (to_parquet stores it as a column)";
