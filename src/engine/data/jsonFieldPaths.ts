/**
 * Fields of a JSONL record addressed by dotted paths, as pandas' `json_normalize` names the
 * columns of nested data: `{"review": {"body": "..."}, "product": {"category": "..."}}` has the
 * fields `review.body` and `product.category` (trial s22 D2: API dumps and
 * `df.to_json(orient='records', lines=True)` of nested data are shaped so, and only top-level
 * fields were read). A literal key that contains a dot wins over a nested path of the same name
 * when the record has it, as a name the user copied from the file should mean that key.
 * Arrays are values, not paths (json_normalize keeps lists as cells).
 *
 * The same resolution runs on the parsed record here and on the record's text in
 * sourceOffsets.ts findJsonValue, so a text value and its offsets in the line agree.
 */

type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The value at `path` in the parsed record `obj`: the own key `path` when present, else the
 * first split `head.rest` (leftmost dot first) where `obj[head]` is an object holding `rest`.
 * @returns the value (null included), or undefined when no split resolves
 */
export function jsonFieldValue(obj: JsonObject, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, path)) return obj[path];
  for (let i = path.indexOf('.'); i > 0; i = path.indexOf('.', i + 1)) {
    const head = obj[path.slice(0, i)];
    if (!isJsonObject(head) || !Object.prototype.hasOwnProperty.call(obj, path.slice(0, i))) continue;
    const v = jsonFieldValue(head, path.slice(i + 1));
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * The record's leaf fields in document order as [path, value]: nested objects are walked and
 * their keys joined with '.', as json_normalize names them; an empty object and every non-object
 * value (arrays included) is a leaf. Records nest a few levels, so recursion is fine.
 */
export function jsonFieldEntries(obj: JsonObject, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix + key;
    if (isJsonObject(value) && Object.keys(value).length > 0) jsonFieldEntries(value, name + '.', out);
    else out.push([name, value]);
  }
  return out;
}

/** A path's last key (`product.category` → `category`), which tells whether it is named like a label. */
export function jsonFieldLeaf(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(i + 1);
}

/** Up to 10 field paths of a record, quoted, for an error message ("(none)" for `{}`). */
export function jsonFieldList(obj: JsonObject): string {
  const names = [...new Set(jsonFieldEntries(obj).map(([k]) => k))];
  return names.length === 0 ? '(none)' : names.slice(0, 10).map((k) => `"${k}"`).join(', ') + (names.length > 10 ? ', …' : '');
}
