// Generates the sample workspace (samples/) and the UI-test workspace (test/fixtures/e2e-workspace/)
// deterministically from a seed. The outputs are committed; re-running this script must reproduce
// them byte for byte. Usage: node scripts/make-samples.mjs [--check]
//   --check  regenerate in memory and fail if any committed file differs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 20240611;

/** mulberry32: tiny, well-known 32-bit PRNG; enough for sample data and fully reproducible. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const sample = (xs, n) => {
    const copy = xs.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  return { next, normal, pick, sample };
}

const csvCell = (v) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (header, rows) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
const fixed = (x, d) => Number(x.toFixed(d));

// ---------------------------------------------------------------- text corpora
const TOPICS = {
  astronomy: [
    'The telescope tracked the faint galaxy across the night sky for three hours.',
    'Jupiter and its four bright moons were visible just after sunset.',
    'A supernova outshines its whole galaxy for a few weeks before fading.',
    'The astronomers measured the redshift of the distant quasar.',
    'Saturn\'s rings are made of ice and rock orbiting the planet.',
    'We watched the meteor shower from a dark field far from the city lights.',
    'The orbit of the comet brings it close to the sun every seventy years.',
    'A nebula is a cloud of gas and dust where new stars are born.',
    'The lunar eclipse turned the moon a deep copper red.',
    'Exoplanets are found by the tiny dip in starlight when they transit their star.',
    'The observatory dome opened and the telescope turned toward Andromeda.',
    'Black holes bend the light of the stars behind them.',
    'Mars appears reddish because of iron oxide dust on its surface.',
    'The space probe sent back images of the icy moons of the outer planets.',
    'Star clusters hold thousands of stars born from the same cloud.',
    'The solar wind shapes the tail of every comet that nears the sun.',
  ],
  cooking: [
    'Simmer the tomato sauce with garlic and basil for twenty minutes.',
    'Knead the bread dough until it is smooth, then let it rise.',
    'Roast the vegetables in the oven with olive oil and a pinch of salt.',
    'The recipe calls for two cups of flour, butter and three eggs.',
    'Whisk the eggs and sugar until the batter turns pale.',
    'Season the soup with pepper and a splash of lemon juice before serving.',
    'Caramelize the onions slowly in a heavy pan over low heat.',
    'Fold the chopped herbs into the risotto just before serving.',
    'Bake the cake until a skewer comes out clean.',
    'Marinate the chicken in yogurt, cumin and ginger overnight.',
    'Fresh pasta needs only flour, eggs and patience in the kitchen.',
    'Toast the spices in a dry pan to release their aroma.',
    'Let the roast rest before carving so the juices settle.',
    'A sharp knife makes chopping onions and carrots much easier.',
    'Reduce the wine sauce until it coats the back of a spoon.',
    'Sprinkle the dessert with cinnamon and serve it warm from the oven.',
  ],
  football: [
    'The striker scored a header in the last minute of the match.',
    'The goalkeeper saved the penalty and the crowd roared.',
    'Our team pressed high and won the ball back in midfield.',
    'The referee showed a red card after the late tackle.',
    'The coach changed the formation at half time to four at the back.',
    'A curling free kick found the top corner of the net.',
    'The league title was decided on the final day of the season.',
    'The winger crossed the ball and the forward volleyed it into the goal.',
    'Fans sang in the stadium long after the final whistle.',
    'The defender cleared the ball off the line to save a goal.',
    'The club signed a young midfielder during the transfer window.',
    'Extra time ended level, so the cup final went to penalties.',
    'The captain lifted the trophy in front of the home supporters.',
    'A quick counter attack left the defence stranded and the striker scored.',
    'The team trained on set pieces, corners and throw-ins all week.',
    'The offside flag went up and the goal was disallowed.',
  ],
  finance: [
    'The central bank raised interest rates to slow inflation.',
    'Investors moved money from stocks into government bonds.',
    'The company reported higher quarterly revenue and a rising profit margin.',
    'A diversified portfolio spreads risk across many assets.',
    'Mortgage rates climbed after the bond yields went up.',
    'The stock market fell sharply when the earnings missed expectations.',
    'Dividends are paid to shareholders out of the company\'s profits.',
    'The budget deficit grew as tax revenue fell short of spending.',
    'Index funds track the market with very low fees.',
    'The exchange rate of the currency dropped against the dollar.',
    'Analysts expect the bank to cut rates if unemployment rises.',
    'Compound interest makes long-term savings grow faster.',
    'The firm issued new shares to raise capital for expansion.',
    'Credit card debt carries a much higher interest rate than a loan.',
    'Bond prices fall when interest rates rise.',
    'The pension fund rebalanced its assets toward equities.',
  ],
};

function documents(r, topics, perTopic, sentencesPerDoc) {
  const docs = [];
  for (const topic of topics) {
    for (let i = 1; i <= perTopic; i++) {
      const n = sentencesPerDoc[0] + Math.floor(r.next() * (sentencesPerDoc[1] - sentencesPerDoc[0] + 1));
      const text = r.sample(TOPICS[topic], n).join(' ');
      docs.push({ name: `${topic}-${String(i).padStart(2, '0')}.txt`, topic, text: text + '\n' });
    }
  }
  return docs;
}

// ---------------------------------------------------------------- coffee shops table
const SEGMENTS = {
  // means of: espresso price (EUR), latte price, seats, wifi Mbps, rating, daily customers, opening hour, km to station
  specialty: { mean: [3.1, 4.6, 24, 80, 4.6, 180, 8, 1.2], cities: ['Berlin', 'Lisbon', 'Oslo'],
    words: ['single-origin beans', 'hand-poured filter', 'friendly baristas', 'light roast', 'latte art', 'quiet corner'] },
  chain: { mean: [2.2, 3.4, 60, 40, 3.8, 520, 6, 0.3], cities: ['Berlin', 'Madrid', 'Paris'],
    words: ['quick service', 'loyalty card', 'busy at rush hour', 'consistent taste', 'large cups', 'near the station'] },
  roadside: { mean: [1.6, 2.6, 12, 10, 3.4, 260, 5, 9.5], cities: ['Madrid', 'Lisbon', 'Oslo'],
    words: ['drive-through window', 'open early', 'truckers stop', 'strong coffee', 'paper cups', 'big parking lot'] },
  bakery: { mean: [2.4, 3.6, 30, 25, 4.3, 300, 7, 2.0], cities: ['Paris', 'Lisbon', 'Berlin'],
    words: ['fresh croissants', 'warm pastries', 'sourdough bread', 'cosy tables', 'cinnamon rolls', 'sunny terrace'] },
};
const SPREAD = [0.25, 0.3, 6, 12, 0.2, 60, 0.8, 0.8];
const NUMERIC = ['espresso_eur', 'latte_eur', 'seats', 'wifi_mbps', 'rating', 'daily_customers', 'opens_at', 'km_to_station'];

function coffeeShops(r, perSegment) {
  const rows = [];
  let id = 1;
  for (const [segment, s] of Object.entries(SEGMENTS)) {
    for (let i = 0; i < perSegment; i++) {
      const v = s.mean.map((m, j) => m + SPREAD[j] * r.normal());
      const review = r.sample(s.words, 2).join(', ');
      const phrase = `${review[0].toUpperCase()}${review.slice(1)}; ${r.pick(['would come back', 'good value', 'a bit noisy', 'nice staff', 'slow on weekends'])}.`;
      rows.push([
        `shop-${String(id++).padStart(3, '0')}`,
        r.pick(s.cities),
        fixed(Math.max(0.9, v[0]), 2), fixed(Math.max(1.5, v[1]), 2), Math.max(4, Math.round(v[2])),
        Math.max(0, Math.round(v[3])), fixed(Math.min(5, Math.max(1, v[4])), 1), Math.max(20, Math.round(v[5])),
        Math.min(10, Math.max(4, Math.round(v[6]))), fixed(Math.max(0.05, v[7]), 2),
        phrase, segment,
      ]);
    }
  }
  // interleave so the file does not list segments in blocks (the label must not be guessable by order)
  return r.sample(rows, rows.length);
}

// ---------------------------------------------------------------- reviews (JSON lines)
const REVIEW_TOPICS = {
  headphones: ['The noise cancelling works well on the train.', 'Battery lasts two days of listening.', 'The bass is deep but the ear cups get warm.',
    'Bluetooth pairing with my phone was instant.', 'The headband cracked after a month.', 'Crisp treble and a clear microphone for calls.'],
  'hiking boots': ['The boots kept my feet dry on a muddy trail.', 'Good ankle support on rocky mountain paths.', 'The soles grip well on wet stone.',
    'They needed a week of walking to break in.', 'Laces came undone on every hike.', 'Light enough for a long day in the hills.'],
  'coffee beans': ['The roast is dark with notes of chocolate.', 'Fresh beans, the aroma fills the kitchen.', 'Too bitter for espresso, fine for filter.',
    'A fruity light roast from Ethiopia.', 'The bag arrived with a roast date from last week.', 'Smooth crema and a nutty finish.'],
};

function reviews(r, perCategory) {
  const out = [];
  for (const [category, sentences] of Object.entries(REVIEW_TOPICS)) {
    for (let i = 0; i < perCategory; i++) {
      const stars = 1 + Math.floor(r.next() * 5);
      out.push({ text: r.sample(sentences, 2 + Math.floor(r.next() * 2)).join(' '), category, stars });
    }
  }
  return r.sample(out, out.length).map((o, i) => JSON.stringify({ id: i + 1, ...o })).join('\n') + '\n';
}

// ---------------------------------------------------------------- e2e fixture tables
function blobs(r, perLabel) {
  const centres = { alpha: [0, 0, 0, 10, 5], beta: [8, 8, 0, 0, 5], gamma: [0, 8, 8, 5, 0] };
  const rows = [];
  let id = 1;
  for (const [label, c] of Object.entries(centres)) {
    for (let i = 0; i < perLabel; i++) rows.push([`r${id++}`, ...c.map((m) => fixed(m + r.normal(), 3)), label]);
  }
  return r.sample(rows, rows.length);
}

const XSS = '<img src=x onerror=alert(1)>';
function xssTable(r) {
  const rows = [];
  for (let i = 0; i < 24; i++) {
    const hostile = i % 2 === 0;
    const c = hostile ? [0, 0, 6] : [6, 6, 0];
    rows.push([`x${i + 1}`, hostile ? XSS : `plain name ${i + 1}`, ...c.map((m) => fixed(m + r.normal() * 0.7, 3)),
      hostile ? XSS : 'plain']);
  }
  return csv(['id', 'name', 'a', 'b', 'c', 'label'], rows);
}

// ---------------------------------------------------------------- write / check
function outputs() {
  const files = new Map();
  const r = rng(SEED);
  files.set('samples/coffee-shops.csv', csv(['id', 'city', ...NUMERIC, 'review', 'segment'], coffeeShops(r, 30)));
  for (const d of documents(r, ['astronomy', 'cooking', 'football', 'finance'], 9, [3, 6])) files.set(`samples/notes/${d.name}`, d.text);
  files.set('samples/reviews.jsonl', reviews(r, 20));
  files.set('samples/.vscode/settings.json', JSON.stringify({
    'neonClusterExplorer.labelColumn': 'segment',
    'neonClusterExplorer.seed': 42,
    'neonClusterExplorer.highlight.enabled': true,
  }, null, 2) + '\n');

  const f = rng(SEED + 1);
  const fx = 'test/fixtures/e2e-workspace';
  files.set(`${fx}/samples.csv`, csv(['id', 'f1', 'f2', 'f3', 'f4', 'f5', 'label'], blobs(f, 30)));
  for (const d of documents(f, ['astronomy', 'cooking', 'football'], 5, [4, 6])) files.set(`${fx}/notes/${d.name}`, d.text);
  files.set(`${fx}/xss.csv`, xssTable(f));
  // line 2, the only data record, opens a quoted field that never closes: no row can be read, so the file is
  // an error naming line 2 (with other rows the record's line is skipped with a warning and they are kept, review7 F3)
  files.set(`${fx}/malformed.csv`, 'id,a,b,label\n1,"0.5,1.5,ok\n');
  files.set(`${fx}/.vscode/settings.json`, JSON.stringify({
    'neonClusterExplorer.labelColumn': 'label',
    'neonClusterExplorer.k': 'auto',
    'neonClusterExplorer.model': 'kmeans',
    'neonClusterExplorer.seed': 7,
  }, null, 2) + '\n');
  return files;
}

const check = process.argv.includes('--check');
let differences = 0;
for (const [rel, content] of outputs()) {
  const file = path.join(root, rel);
  if (check) {
    const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (now !== content) { differences++; console.error(`differs: ${rel}`); }
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
if (check && differences > 0) process.exit(1);
console.log(check ? 'samples are up to date' : 'wrote samples/ and test/fixtures/e2e-workspace/');
