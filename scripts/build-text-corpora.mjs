#!/usr/bin/env node
/**
 * Builds the labelled text corpora that the text features are measured on besides
 * fortunes.jsonl (README, "Text features"; bench/text-quality.ts). Both come from Debian
 * itself, with the labels Debian gives them, and are written as JSONL ({"text", "category",
 * "name"}) to test/fixtures/text-corpora/:
 *
 * - debian-packages.jsonl: the one-line description of the packages of eight topical archive
 *   sections (database, editors, fonts, games, graphics, mail, math, sound), from
 *   `apt-cache dumpavail` (needs `apt-get update`; this machine's apt has no long
 *   descriptions: Acquire::Languages "none"). One package per source package (its binaries
 *   repeat the description with "(data files)" etc.), duplicate texts dropped, at most
 *   PACKAGES_PER_SECTION per section chosen by a hash of the package name (reproducible,
 *   unrelated to the text). The sections were chosen before any clustering was run.
 * - man-pages.jsonl: the English manual pages (sections 1-8) installed on this machine,
 *   labelled with the Debian package that owns them (`dpkg -S`); pages of no package, or of a
 *   package that is not in the Debian archive (`apt-cache madison` names no debian.org
 *   source: a vendor's SDK), are skipped, as are `.so` redirects and symlinks. Text = the NAME line and
 *   the DESCRIPTION section rendered by `man` (80 columns), whitespace collapsed, cut at
 *   MAN_CHARS characters on a word boundary. Packages with at least MIN_MAN_PAGES pages are
 *   kept, at most MAN_PAGES_PER_PACKAGE of each, chosen by a hash of the file name.
 *
 * Which man pages exist depends on the installed packages, and package descriptions change
 * with Debian point releases, so the corpora are committed as fixtures (with the package
 * list printed here and in test/fixtures/text-corpora/README.md) rather than rebuilt by
 * the benchmark. Usage: node scripts/build-text-corpora.mjs [--out DIR]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SECTIONS = ['database', 'editors', 'fonts', 'games', 'graphics', 'mail', 'math', 'sound'];
const PACKAGES_PER_SECTION = 300;
const MIN_MAN_PAGES = 60;
const MAN_PAGES_PER_PACKAGE = 100;
const MAN_CHARS = 600;

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(import.meta.dirname, '..', 'test', 'fixtures', 'text-corpora'));

const hash = (s) => createHash('sha1').update(s).digest('hex');
const byHash = (a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);

function run(cmd, argv, env) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

function writeJsonl(file, docs) {
  fs.writeFileSync(file, docs.map((d) => JSON.stringify({ text: d.text, category: d.category, name: d.name })).join('\n') + '\n');
  const counts = {};
  for (const d of docs) counts[d.category] = (counts[d.category] ?? 0) + 1;
  console.log(`${path.relative(process.cwd(), file)}: ${docs.length} documents, ${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
  for (const [c, n] of Object.entries(counts).sort()) console.log(`  ${c}: ${n}`);
}

function packageDescriptions() {
  const r = run('apt-cache', ['dumpavail']);
  if (r.status !== 0) throw new Error(`apt-cache dumpavail failed: ${r.stderr}`);
  const bySource = new Map();
  for (const stanza of r.stdout.split(/\n\n+/)) {
    const field = (name) => stanza.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1].trim();
    const pkg = field('Package');
    const section = field('Section')?.split('/').pop();
    const description = field('Description');
    if (!pkg || !section || !description || !SECTIONS.includes(section)) continue;
    const source = (field('Source') ?? pkg).split(' ')[0];
    const prev = bySource.get(source);
    // The source's first binary in name order stands for it.
    if (!prev || pkg < prev.name) bySource.set(source, { name: pkg, category: section, text: description });
  }
  const seen = new Set();
  const docs = [];
  for (const section of SECTIONS) {
    const pool = [...bySource.values()]
      .filter((d) => d.category === section)
      .map((d) => ({ ...d, hash: hash(d.name) }))
      .sort(byHash);
    let kept = 0;
    for (const d of pool) {
      const key = d.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      docs.push(d);
      if (++kept === PACKAGES_PER_SECTION) break;
    }
  }
  return docs.sort((a, b) => (a.name < b.name ? -1 : 1)).map(({ hash: _, ...d }) => d);
}

/** Owning package of each file (dpkg -S, in batches); files of no package are absent. */
function owners(files) {
  const owner = new Map();
  for (let i = 0; i < files.length; i += 400) {
    const r = run('dpkg', ['-S', ...files.slice(i, i + 400)]);
    for (const line of r.stdout.split('\n')) {
      const m = line.match(/^([^:,]+)(?::[^:]+)?: (\/.*)$/);
      if (m) owner.set(m[2], m[1]);
    }
  }
  return owner;
}

/** NAME line + DESCRIPTION section of a rendered man page, whitespace collapsed. */
function manText(file) {
  const r = run('man', ['-l', '-E', 'UTF-8', file], { MANWIDTH: '80', MAN_KEEP_FORMATTING: '', LANG: 'C.UTF-8' });
  if (r.status !== 0) return undefined;
  // Overstrike (bold / underline as `X BACKSPACE X`) when a pager setting leaks through.
  const plain = r.stdout.split(String.fromCharCode(8)).reduce((acc, part) => acc.slice(0, -1) + part);
  const sections = new Map();
  let current;
  for (const line of plain.split('\n')) {
    if (/^[A-Z][A-Z ]+$/.test(line.trim()) && !line.startsWith(' ')) {
      current = line.trim();
      sections.set(current, []);
    } else if (current) sections.get(current).push(line.trim());
  }
  const name = (sections.get('NAME') ?? []).join(' ').replace(/\s+/g, ' ').trim();
  const description = (sections.get('DESCRIPTION') ?? []).join(' ').replace(/\s+/g, ' ').trim();
  if (!name || description.length < 80) return undefined;
  let text = `${name}. ${description}`;
  if (text.length > MAN_CHARS) text = text.slice(0, text.lastIndexOf(' ', MAN_CHARS));
  return text;
}

/** Whether apt knows the package from a debian.org archive. */
function fromDebian(pkg) {
  return /debian\.org/.test(run('apt-cache', ['madison', pkg]).stdout);
}

function manPages() {
  const files = [];
  for (let s = 1; s <= 8; s++) {
    const dir = `/usr/share/man/man${s}`;
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      const p = path.join(dir, f);
      if (fs.lstatSync(p).isSymbolicLink()) continue;
      files.push(p);
    }
  }
  const owner = owners(files);
  const byPackage = new Map();
  for (const f of files) {
    const pkg = owner.get(f);
    if (!pkg) continue;
    const raw = f.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(f)).toString('utf8') : fs.readFileSync(f, 'utf8');
    if (/^\.so\s/m.test(raw.slice(0, 200)) && raw.length < 200) continue;
    if (!byPackage.has(pkg)) byPackage.set(pkg, []);
    byPackage.get(pkg).push({ file: f, hash: hash(path.basename(f)) });
  }
  const docs = [];
  for (const [pkg, pages] of [...byPackage].sort()) {
    if (pages.length < MIN_MAN_PAGES || !fromDebian(pkg)) continue;
    const kept = [];
    for (const p of pages.sort(byHash)) {
      const text = manText(p.file);
      if (text) kept.push({ name: path.basename(p.file).replace(/\.gz$/, ''), category: pkg, text });
      if (kept.length === MAN_PAGES_PER_PACKAGE) break;
    }
    if (kept.length >= MIN_MAN_PAGES) docs.push(...kept);
  }
  return docs.sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : a.name < b.name ? -1 : 1));
}

fs.mkdirSync(outDir, { recursive: true });
writeJsonl(path.join(outDir, 'debian-packages.jsonl'), packageDescriptions());
writeJsonl(path.join(outDir, 'man-pages.jsonl'), manPages());
