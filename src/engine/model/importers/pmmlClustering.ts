/**
 * A PMML `ClusteringModel` (PMML 3.2 - 4.4), as Spark's `toPMML`, sklearn2pmml, R's pmml
 * package and KNIME export k-means:
 *
 *   <DataDictionary><DataField name="x" optype="continuous" .../></DataDictionary>
 *   <ClusteringModel functionName="clustering" modelClass="centerBased" numberOfClusters="3">
 *     <MiningSchema/> <LocalTransformations/>?
 *     <ComparisonMeasure kind="distance"><squaredEuclidean/></ComparisonMeasure>
 *     <ClusteringField field="x" compareFunction="absDiff" fieldWeight="1"/> ...
 *     <Cluster name="..."><Array n="D" type="real">c1 c2 ...</Array></Cluster> ...
 *   </ClusteringModel>
 *
 * A ClusteringField may name a DerivedField (TransformationDictionary or LocalTransformations)
 * that is linear in one DataField: NormContinuous with collinear LinearNorm points (outliers
 * "asIs"), or Apply of +, -, *, / with a Constant (what sklearn2pmml writes for StandardScaler).
 * That map becomes the model's scaling, so the user explains the DataFields by name.
 * fieldWeight w is folded in as a scale √w (w (x − c)² = (√w x − √w c)²).
 *
 * Source: DMG PMML 4.4 "Clustering Models" and "Transformations" (NormContinuous, Apply),
 * cited in docs/model-file.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { ImportError, type ModelImporter } from './importer';
import { kmeansImport } from './kmeansImport';

/** value = a · field + b. */
interface Linear {
  readonly field: string;
  readonly a: number;
  readonly b: number;
}

function elementChildren(el: Element, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (localName === undefined || (n as Element).localName === localName)) out.push(n as Element);
  }
  return out;
}

function child(el: Element, localName: string): Element | undefined {
  return elementChildren(el, localName)[0];
}

function parseXml(text: string, label: string): Element {
  const problems: string[] = [];
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    throw new ImportError(label, `is not well-formed XML (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  if (problems.length || !doc.documentElement) throw new ImportError(label, `is not well-formed XML (${problems[0]?.split('\n')[0] ?? 'no root element'})`);
  const root = doc.documentElement as unknown as Element;
  if (root.localName !== 'PMML') throw new ImportError(label, `is XML with root <${root.localName}>, not a PMML document`);
  return root;
}

/** DerivedFields by name: the TransformationDictionary's, overridden by the model's LocalTransformations. */
function derivedFields(root: Element, model: Element): Map<string, Element> {
  const map = new Map<string, Element>();
  for (const holder of [child(root, 'TransformationDictionary'), child(model, 'LocalTransformations')]) {
    if (!holder) continue;
    for (const d of elementChildren(holder, 'DerivedField')) map.set(d.getAttribute('name') ?? '', d);
  }
  return map;
}

/** A DerivedField / expression as a linear function of one DataField, or an ImportError saying why not. */
function linearOf(expr: Element, derived: ReadonlyMap<string, Element>, label: string, seen: Set<string>): Linear {
  switch (expr.localName) {
    case 'FieldRef': {
      const name = expr.getAttribute('field') ?? '';
      return fieldLinear(name, derived, label, seen);
    }
    case 'Constant':
      return { field: '', a: 0, b: Number((expr.textContent ?? '').trim()) };
    case 'NormContinuous': {
      const name = expr.getAttribute('field') ?? '';
      const outliers = expr.getAttribute('outliers') || 'asIs';
      const points = elementChildren(expr, 'LinearNorm').map((p) => ({ orig: Number(p.getAttribute('orig')), norm: Number(p.getAttribute('norm')) }));
      if (points.length < 2 || points.some((p) => !Number.isFinite(p.orig) || !Number.isFinite(p.norm))) {
        throw new ImportError(label, `NormContinuous of "${name}" needs at least two numeric LinearNorm points`);
      }
      const slope = (points[1].norm - points[0].norm) / (points[1].orig - points[0].orig);
      const intercept = points[0].norm - slope * points[0].orig;
      for (const p of points) {
        if (Math.abs(slope * p.orig + intercept - p.norm) > 1e-9 * (1 + Math.abs(p.norm))) {
          throw new ImportError(label, `NormContinuous of "${name}" is piecewise linear with a bend at ${p.orig}; only a straight-line normalisation can be explained exactly`);
        }
      }
      if (outliers !== 'asIs') throw new ImportError(label, `NormContinuous of "${name}" has outliers="${outliers}" (clipping); only "asIs" is linear`);
      const inner = fieldLinear(name, derived, label, seen);
      return { field: inner.field, a: slope * inner.a, b: slope * inner.b + intercept };
    }
    case 'Apply': {
      const fn = expr.getAttribute('function') ?? '';
      const args = elementChildren(expr).filter((e) => e.localName !== 'Extension');
      if (args.length !== 2 || !['+', '-', '*', '/'].includes(fn)) {
        throw new ImportError(label, `a transformation applies "${fn}" to ${args.length} argument(s); only +, -, * and / with a constant are linear`);
      }
      const [p, q] = args.map((e) => linearOf(e, derived, label, seen));
      if (fn === '+' || fn === '-') {
        const s = fn === '+' ? 1 : -1;
        if (p.field && q.field && p.field !== q.field) throw new ImportError(label, `a transformation combines two fields (${p.field}, ${q.field}); each model input must come from one column`);
        return { field: p.field || q.field, a: p.a + s * q.a, b: p.b + s * q.b };
      }
      if (fn === '*') {
        if (p.field && q.field) throw new ImportError(label, `a transformation multiplies two fields (${p.field}, ${q.field}); it is not linear`);
        return p.field ? { field: p.field, a: p.a * q.b, b: p.b * q.b } : { field: q.field, a: q.a * p.b, b: q.b * p.b };
      }
      if (q.field) throw new ImportError(label, `a transformation divides by a field (${q.field}); it is not linear`);
      return { field: p.field, a: p.a / q.b, b: p.b / q.b };
    }
    default:
      throw new ImportError(label, `a transformation uses <${expr.localName}>; only NormContinuous and +, -, *, / with constants are explained exactly`);
  }
}

function fieldLinear(name: string, derived: ReadonlyMap<string, Element>, label: string, seen: Set<string>): Linear {
  const d = derived.get(name);
  if (!d) return { field: name, a: 1, b: 0 };
  if (seen.has(name)) throw new ImportError(label, `derived field "${name}" refers to itself`);
  const expr = elementChildren(d).find((e) => e.localName !== 'Extension' && e.localName !== 'Value');
  if (!expr) throw new ImportError(label, `derived field "${name}" has no expression`);
  return linearOf(expr, derived, label, new Set([...seen, name]));
}

function numbers(text: string, label: string, where: string): number[] {
  const cells = text.trim().split(/\s+/).filter((s) => s !== '');
  return cells.map((c) => {
    const v = Number(c.replace(/^"|"$/g, ''));
    if (!Number.isFinite(v)) throw new ImportError(label, `${where} holds "${c}", not a number`);
    return v;
  });
}

/** Parses the PMML text of `label`. Exported for tests that check messages without a file. */
export function parsePmmlClustering(text: string, label: string): ReturnType<typeof kmeansImport> {
  const root = parseXml(text, label);
  const models = elementChildren(root).filter((e) => (e.localName ?? '').endsWith('Model'));
  const model = models.find((m) => m.localName === 'ClusteringModel');
  if (!model) throw new ImportError(label, `holds no ClusteringModel (found ${models.map((m) => m.localName).join(', ') || 'no model'})`);
  const modelClass = model.getAttribute('modelClass') ?? '';
  if (modelClass !== 'centerBased') throw new ImportError(label, `is a ${modelClass || 'unspecified'} ClusteringModel; only centerBased (k-means) models can be explained`);

  const measure = child(model, 'ComparisonMeasure');
  if (!measure) throw new ImportError(label, 'ClusteringModel has no ComparisonMeasure');
  const kind = measure.getAttribute('kind') ?? '';
  const metric = elementChildren(measure)[0]?.localName ?? '';
  if (kind !== 'distance') throw new ImportError(label, `compares by ${kind || 'an unspecified'} measure (${metric}); NEON explains distances (squaredEuclidean)`);
  const notes: string[] = [];
  if (metric === 'euclidean') notes.push(`${label}: euclidean distance: the nearest centre is the same as under squaredEuclidean, which NEON explains.`);
  else if (metric !== 'squaredEuclidean') throw new ImportError(label, `uses the ${metric} distance; NEON explains k-means under squaredEuclidean (or euclidean) distance only`);
  const defaultCompare = measure.getAttribute('compareFunction') || 'absDiff';

  const derived = derivedFields(root, model);
  const fields = elementChildren(model, 'ClusteringField').filter((f) => (f.getAttribute('isCenterField') ?? 'true') !== 'false');
  if (fields.length === 0) throw new ImportError(label, 'ClusteringModel has no ClusteringField');
  const dim = fields.length;
  const names: string[] = [];
  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  const centreScale = new Float64Array(dim);
  let scaled = false;
  fields.forEach((f, j) => {
    const fieldName = f.getAttribute('field') ?? '';
    const compare = f.getAttribute('compareFunction') || defaultCompare;
    if (compare !== 'absDiff') throw new ImportError(label, `ClusteringField "${fieldName}" compares with ${compare}; only absDiff (numeric difference) is explained`);
    const weight = f.hasAttribute('fieldWeight') ? Number(f.getAttribute('fieldWeight')) : 1;
    if (!(weight > 0) || !Number.isFinite(weight)) throw new ImportError(label, `ClusteringField "${fieldName}" has fieldWeight ${f.getAttribute('fieldWeight')}; it must be a positive number`);
    const lin = fieldLinear(fieldName, derived, label, new Set());
    if (!lin.field) throw new ImportError(label, `ClusteringField "${fieldName}" is a constant`);
    if (names.includes(lin.field)) throw new ImportError(label, `column "${lin.field}" feeds two clustering fields; each input must come from its own column`);
    names.push(lin.field);
    // w (a x + b − c)² = (x' − c')² with x' = sign(a) √w (a x + b) = (x − mean) / std,
    // mean = −b / a, std = 1 / (|a| √w), and the centre coordinate c' = sign(a) √w c.
    if (lin.a === 0) throw new ImportError(label, `ClusteringField "${fieldName}" scales its column by 0`);
    mean[j] = lin.b === 0 ? 0 : -lin.b / lin.a;
    std[j] = 1 / (Math.abs(lin.a) * Math.sqrt(weight));
    centreScale[j] = Math.sign(lin.a) * Math.sqrt(weight);
    if (lin.a !== 1 || lin.b !== 0 || weight !== 1) scaled = true;
  });

  const clusters = elementChildren(model, 'Cluster');
  const k = clusters.length;
  const declared = model.getAttribute('numberOfClusters');
  if (declared !== null && Number(declared) !== k) throw new ImportError(label, `numberOfClusters is ${declared} but ${k} Cluster elements are given`);
  const centroids = new Float64Array(k * dim);
  const clusterLabels: string[] = [];
  clusters.forEach((c, i) => {
    const array = child(c, 'Array');
    if (!array) throw new ImportError(label, `Cluster ${i + 1} has no Array of centre coordinates`);
    const values = numbers(array.textContent ?? '', label, `Cluster ${i + 1}'s Array`);
    const n = array.getAttribute('n');
    if (values.length !== dim || (n !== null && Number(n) !== values.length)) {
      throw new ImportError(label, `Cluster ${i + 1} has ${values.length} coordinates, expected ${dim} (one per ClusteringField)`);
    }
    values.forEach((v, j) => (centroids[i * dim + j] = v * centreScale[j]));
    clusterLabels.push(c.getAttribute('name') || c.getAttribute('id') || `cluster ${i}`);
  });
  const imported = kmeansImport({ file: label, format: 'PMML ClusteringModel', centroids, k, dim, featureNames: names, ...(scaled ? { scaling: { mean, std } } : {}), notes });
  return { ...imported, clusterLabels };
}

export const pmmlImporter: ModelImporter = {
  format: 'PMML ClusteringModel',
  accepts(file, isFolder, head) {
    if (isFolder) return false;
    if (/\.pmml$/i.test(file)) return true;
    return /\.xml$/i.test(file) && new TextDecoder().decode(head).includes('<PMML');
  },
  async read(file) {
    return parsePmmlClustering(fs.readFileSync(file, 'utf8'), path.basename(file));
  },
};
