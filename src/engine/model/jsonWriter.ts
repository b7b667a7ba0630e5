/**
 * JSON text that stays readable for big numeric payloads: objects are indented one key per
 * line, but arrays of numbers or strings go on one line each (a centroid is one line, a
 * word-vector table one line per word). Numbers use JavaScript's shortest round-trip form,
 * so parsing the text back gives bit-identical doubles.
 */
import type { Json } from './jsonReader';

function isFlat(a: readonly Json[]): boolean {
  return a.every((v) => v === null || typeof v !== 'object');
}

function write(v: Json, indent: string, out: string[]): void {
  if (v === null || typeof v !== 'object') {
    out.push(JSON.stringify(v));
    return;
  }
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
    } else if (isFlat(v)) {
      out.push('[', v.map((x) => JSON.stringify(x)).join(', '), ']');
    } else {
      out.push('[\n');
      v.forEach((x, i) => {
        out.push(inner);
        write(x, inner, out);
        out.push(i + 1 < v.length ? ',\n' : '\n');
      });
      out.push(indent, ']');
    }
    return;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{\n');
  keys.forEach((k, i) => {
    out.push(inner, JSON.stringify(k), ': ');
    write(v[k], inner, out);
    out.push(i + 1 < keys.length ? ',\n' : '\n');
  });
  out.push(indent, '}');
}

export function formatJson(v: Json): string {
  const out: string[] = [];
  write(v, '', out);
  out.push('\n');
  return out.join('');
}

/** Rows of a flat row-major matrix as nested arrays. */
export function matrixRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from({ length: cols }, (_, j) => data[r * cols + j]));
  return out;
}
