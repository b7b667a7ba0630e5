// Entry point of the extension-host test suites. The real VS Code extension host (code-server
// with the smoke-test driver, or desktop VS Code via @vscode/test-electron) require()s this
// module and awaits run(). Suites are mocha "tdd" files next to this one (*.test.js after tsc).
// The report (one line per test plus the plain closing line "N passed, N failed") is written to
// NEON_TEST_REPORT so the launcher can print it: the host's own stdout is not visible there.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.NEON_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const lines: string[] = [];
  let passed = 0;
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => { passed++; lines.push(`ok   - ${t.fullTitle()} (${t.duration ?? 0} ms)`); });
    runner.on('fail', (t, err: unknown) => {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      lines.push(`FAIL - ${t.fullTitle()}: ${message}`);
    });
    runner.on('pending', (t) => lines.push(`skip - ${t.fullTitle()}`));
  });
  if (files.length === 0) lines.push(`no *.test.js files in ${__dirname}`);
  const summary = `${passed} passed, ${failures} failed`;
  lines.push(summary);
  const report = process.env.NEON_TEST_REPORT ?? path.join(__dirname, 'ext-host-report.txt');
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, lines.join('\n') + '\n');
  console.log(summary);
  if (failures > 0 || files.length === 0) throw new Error(files.length === 0 ? 'no extension-host test files found' : summary);
}
