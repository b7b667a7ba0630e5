/**
 * Mapping decoded text back to where it sits in its source file. A JSONL text field is
 * JSON-escaped in the file (`\n`, `\"`, `\u00e9` ...) and a quoted CSV cell doubles its quotes,
 * so a token's offset in the decoded string is not its offset in the file. Each decoder here
 * returns, with the decoded text, `map`: `map[k]` = file offset where decoded unit k starts,
 * and `map[text.length]` = file offset just past the last one (so a token [s, e) spans
 * [map[s], map[e]) in the file).
 */

export interface MappedText {
  readonly text: string;
  /** Length text.length + 1; absolute offsets in the source text. */
  readonly map: Int32Array;
}

function hex4(s: string, i: number): number {
  return parseInt(s.slice(i, i + 4), 16);
}

/** Builds a string from UTF-16 code units without one allocation per unit. */
function fromCodes(codes: Uint16Array, length: number): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < length; i += CHUNK) out += String.fromCharCode.apply(null, Array.from(codes.subarray(i, Math.min(length, i + CHUNK))));
  return out;
}

/**
 * Decodes the JSON string literal whose content (between the quotes) is `src[start, end)`.
 * `base` is added to every offset (the literal's line start in the file).
 */
export function decodeJsonString(src: string, start: number, end: number, base: number): MappedText {
  if (src.indexOf('\\', start) < 0 || src.indexOf('\\', start) >= end) {
    // No escapes: identity mapping.
    const map = new Int32Array(end - start + 1);
    for (let k = 0; k <= end - start; k++) map[k] = base + start + k;
    return { text: src.slice(start, end), map };
  }
  const codes = new Uint16Array(end - start);
  const map = new Int32Array(end - start + 1);
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = src.charCodeAt(i);
    map[n] = base + i;
    if (c === 92) {
      const e = src.charCodeAt(i + 1);
      switch (e) {
        case 110: c = 10; break; // \n
        case 116: c = 9; break; // \t
        case 114: c = 13; break; // \r
        case 98: c = 8; break; // \b
        case 102: c = 12; break; // \f
        case 117: c = hex4(src, i + 2); i += 4; break; // \uXXXX (a surrogate pair is two escapes)
        default: c = e; // \" \\ \/
      }
      i++;
    }
    codes[n++] = c;
  }
  map[n] = base + end;
  return { text: fromCodes(codes, n), map: map.subarray(0, n + 1) };
}

/** Skips JSON whitespace from i. */
function ws(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

/** Index just past the closing quote of the string literal opening at `i` (s[i] === '"'). */
function skipString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return s.length;
}

/** Index just past the JSON value starting at `i` (valid JSON assumed: it parsed already). */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return skipString(s, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 34) j = skipString(s, j) - 1;
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return s.length;
  }
  let j = i;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 9 || d === 10 || d === 13) break;
    j++;
  }
  return j;
}

/**
 * Content span [start, end) of the string value of the field `path` in the JSON object text
 * `line` (already validated by JSON.parse), or undefined when the field is absent or not a
 * string. `path` is a key or a dotted path into nested objects, resolved as findJsonValue does.
 */
export function findJsonStringValue(line: string, path: string): { start: number; end: number } | undefined {
  const span = findJsonValue(line, path);
  return span && line.charCodeAt(span.start) === 34 ? { start: span.start + 1, end: span.end - 1 } : undefined;
}

/**
 * Span [start, end) of the source text of the value of the field `path` in the JSON object text
 * `line` (already validated by JSON.parse), quotes included for a string, or undefined when the
 * field is absent. `path` is resolved as jsonFieldPaths.ts jsonFieldValue resolves it on the
 * parsed record: the literal key first, then `head.rest` splits into nested objects (leftmost
 * dot first; `review.body` is the key `body` of the object under `review`, as pandas'
 * json_normalize names it). A repeated key resolves to its last occurrence, as JSON.parse does.
 * The text keeps what parsing loses: the digits of an integer beyond 2^53.
 */
export function findJsonValue(line: string, path: string, objectStart = 0): { start: number; end: number } | undefined {
  const direct = findJsonMember(line, path, objectStart);
  if (direct) return direct;
  for (let i = path.indexOf('.'); i > 0; i = path.indexOf('.', i + 1)) {
    const head = findJsonMember(line, path.slice(0, i), objectStart);
    if (!head || line.charCodeAt(head.start) !== 123) continue;
    const found = findJsonValue(line, path.slice(i + 1), head.start);
    if (found) return found;
  }
  return undefined;
}

/** Span of the value of the member `key` of the object opening at or after `from` (whitespace skipped). */
function findJsonMember(line: string, key: string, from: number): { start: number; end: number } | undefined {
  let i = ws(line, from);
  if (line.charCodeAt(i) !== 123) return undefined;
  i++;
  let found: { start: number; end: number } | undefined;
  for (;;) {
    i = ws(line, i);
    if (i >= line.length || line.charCodeAt(i) === 125) break;
    if (line.charCodeAt(i) !== 34) return found;
    const keyEnd = skipString(line, i);
    const rawKey = line.slice(i, keyEnd);
    const name = rawKey.indexOf('\\') < 0 ? rawKey.slice(1, -1) : (JSON.parse(rawKey) as string);
    i = ws(line, keyEnd);
    i = ws(line, i + 1); // ':'
    const valueEnd = skipValue(line, i);
    if (name === key) found = { start: i, end: valueEnd };
    i = ws(line, valueEnd);
    if (line.charCodeAt(i) === 44) i++;
  }
  return found;
}

/**
 * Content of field `field` of the CSV record starting at `offset` in `src`, with its map.
 * Quoted fields drop their quotes and turn `""` into `"`. Returns undefined when the record
 * has fewer fields.
 */
export function csvField(src: string, offset: number, delimiter: string, field: number): MappedText | undefined {
  const d = delimiter.charCodeAt(0);
  let i = offset;
  for (let f = 0; ; f++) {
    if (src.charCodeAt(i) === 34) {
      // Quoted: content runs to the first quote not followed by another quote.
      const codes: number[] = [];
      const map: number[] = [];
      let j = i + 1;
      for (; j < src.length; j++) {
        const c = src.charCodeAt(j);
        if (c === 34) {
          if (src.charCodeAt(j + 1) === 34) {
            if (f === field) {
              codes.push(34);
              map.push(j);
            }
            j++;
            continue;
          }
          break;
        }
        if (f === field) {
          codes.push(c);
          map.push(j);
        }
      }
      if (f === field) {
        map.push(j);
        return { text: fromCodes(Uint16Array.from(codes), codes.length), map: Int32Array.from(map) };
      }
      i = j + 1;
      // Tolerate stray characters after the closing quote (csv-parse relax_quotes).
      while (i < src.length && src.charCodeAt(i) !== d && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
    } else {
      let j = i;
      while (j < src.length && src.charCodeAt(j) !== d && src.charCodeAt(j) !== 10 && src.charCodeAt(j) !== 13) j++;
      if (f === field) {
        const map = new Int32Array(j - i + 1);
        for (let k = 0; k <= j - i; k++) map[k] = i + k;
        return { text: src.slice(i, j), map };
      }
      i = j;
    }
    if (i >= src.length || src.charCodeAt(i) !== d) return undefined;
    i++;
  }
}

/** Offsets where each line starts (line L, 1-based, starts at `starts[L - 1]`); CR, LF, CRLF all end a line. */
export function lineStarts(src: string): Int32Array {
  let count = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) count++;
  }
  const starts = new Int32Array(count);
  let n = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) starts[n++] = i + 1;
  }
  return starts;
}

/**
 * VS Code normalises line endings when a file mixes them (its piece-tree builder picks CRLF
 * when more than half of the line breaks contain a CR, else LF, and rewrites every break to
 * that), so editor offsets then differ from file offsets after each rewritten break. Returns
 * the raw -> editor offset mapping for such a file, or undefined when the editor keeps the
 * text as is (consistent line endings; lone CRs normalised to LF keep their length).
 */
export function editorOffsetMapper(src: string): ((raw: number) => number) | undefined {
  let cr = 0;
  let lf = 0;
  let crlf = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 13) {
      if (src.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  const total = cr + lf + crlf;
  if (total === 0) return undefined;
  const toCrlf = cr + crlf > total / 2;
  // Only breaks whose length changes shift later offsets: LF/CR -> CRLF (+1), CRLF -> LF (-1).
  const changing = toCrlf ? cr + lf : crlf;
  if (changing === 0) return undefined;
  const at = new Int32Array(changing); // raw offset just past each changing break
  let k = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 13 && src.charCodeAt(i + 1) === 10) {
      if (!toCrlf) at[k++] = i + 2;
      i++;
    } else if (c === 13 || c === 10) {
      if (toCrlf) at[k++] = i + 1;
    }
  }
  const step = toCrlf ? 1 : -1;
  return (raw: number): number => {
    // Number of changing breaks that end at or before `raw`.
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at[mid] <= raw) lo = mid + 1;
      else hi = mid;
    }
    return raw + step * lo;
  };
}
