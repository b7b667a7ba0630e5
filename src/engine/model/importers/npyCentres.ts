/**
 * A NumPy `.npy` array of cluster centres (K × D): scikit-learn's `cluster_centers_`, faiss's
 * `kmeans.centroids`, cuML's `cluster_centers_`, saved with `numpy.save`. The file is
 * NEP 1's format: the magic "\x93NUMPY", a major/minor version byte pair, a little-endian
 * header length (2 bytes in version 1.0, 4 in 2.0 / 3.0), then a Python dict literal
 * {'descr': '<f8', 'fortran_order': False, 'shape': (K, D), } padded with spaces to a
 * multiple of 64 bytes, then the raw values.
 *
 * Source: NumPy Enhancement Proposal 1, "A simple file format for NumPy arrays", and
 * numpy/lib/format.py (cited in docs/model-file.md). Written here rather than taken from
 * npm: the only npm reader (npyjs) pulls in a fetch polyfill and ignores fortran_order.
 *
 * The array holds no names: they come from --features or from the data's header.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImportError, namesFor, type ModelImporter } from './importer';
import { kmeansImport } from './kmeansImport';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  readonly dataOffset: number;
}

/** Parses the header dict; only the three keys NEP 1 defines are read. */
function parseHeader(bytes: Uint8Array, label: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new ImportError(label, 'is not a NumPy .npy file (it does not start with "\\x93NUMPY")');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new ImportError(label, `is .npy format version ${major}.${bytes[7]}; versions 1.0 to 3.0 are read`);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new ImportError(label, `has an unreadable .npy header (${text.trim().slice(0, 80)}); expected 'descr', 'fortran_order' and 'shape'`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new ImportError(label, `has shape (${shapeText}), not a list of sizes`);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + headerLen };
}

/** Element reader for a dtype string: byte order, kind and size ('<f8', '>f4', '<i8', '|u1', ...). */
function elementReader(descr: string, label: string): { size: number; read: (v: DataView, offset: number) => number } {
  const m = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  if (!m) throw new ImportError(label, `holds dtype '${descr}'; cluster centres must be real numbers (float64, float32 or integers)`);
  const little = m[1] !== '>';
  const kind = m[2];
  const size = Number(m[3]);
  const readers: Record<string, (v: DataView, o: number) => number> = {
    f8: (v, o) => v.getFloat64(o, little),
    f4: (v, o) => v.getFloat32(o, little),
    i8: (v, o) => Number(v.getBigInt64(o, little)),
    i4: (v, o) => v.getInt32(o, little),
    i2: (v, o) => v.getInt16(o, little),
    i1: (v, o) => v.getInt8(o),
    u8: (v, o) => Number(v.getBigUint64(o, little)),
    u4: (v, o) => v.getUint32(o, little),
    u2: (v, o) => v.getUint16(o, little),
    u1: (v, o) => v.getUint8(o),
  };
  const read = readers[`${kind}${size}`];
  if (!read) throw new ImportError(label, `holds dtype '${descr}', which is not read (float64, float32 or integers)`);
  return { size, read };
}

/** The centres as a row-major K × D Float64Array. Throws ImportError naming the file. */
export function readNpyCentres(bytes: Uint8Array, label: string): { centroids: Float64Array; k: number; dim: number; descr: string } {
  const h = parseHeader(bytes, label);
  if (h.shape.length !== 2) throw new ImportError(label, `holds an array of shape (${h.shape.join(', ')}); cluster centres are a 2-D array (K clusters × D features)`);
  const [k, dim] = h.shape;
  const { size, read } = elementReader(h.descr, label);
  const need = h.dataOffset + k * dim * size;
  if (bytes.length < need) throw new ImportError(label, `is truncated: shape (${k}, ${dim}) of '${h.descr}' needs ${need} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const centroids = new Float64Array(k * dim);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < dim; j++) {
      // C order: row i is contiguous; Fortran order: column j is.
      const index = h.fortranOrder ? j * k + i : i * dim + j;
      centroids[i * dim + j] = read(view, h.dataOffset + index * size);
    }
  }
  return { centroids, k, dim, descr: h.descr };
}

export const npyImporter: ModelImporter = {
  format: 'NumPy .npy centres',
  accepts(file, isFolder, head) {
    return !isFolder && (file.toLowerCase().endsWith('.npy') || MAGIC.every((b, i) => head[i] === b));
  },
  async read(file, options) {
    const label = path.basename(file);
    const { centroids, k, dim, descr } = readNpyCentres(new Uint8Array(fs.readFileSync(file)), label);
    const named = namesFor(dim, options, label);
    const notes = [...named.notes];
    if (descr.endsWith('f4')) notes.push(`${label}: float32 centres (faiss / cuML) are explained as stored; the data is read in float64.`);
    return kmeansImport({ file: label, format: 'NumPy .npy centres', centroids, k, dim, featureNames: named.featureNames, ...(named.unnamedInputs ? { unnamedInputs: true } : {}), notes });
  },
};
