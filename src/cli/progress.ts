/**
 * Progress on stderr: a single rewritten line on a terminal, otherwise (with --progress) one
 * line per stage and per 10% so logs stay short. Never on stdout, which carries the output.
 */
import type { Progress } from '../engine/types';

export function progressReporter(write: (s: string) => void, isTTY: boolean): { report: (p: Progress) => void; done: () => void } {
  let lastStage = '';
  let lastTenth = -1;
  let lastDraw = 0;
  let drawn = false;
  return {
    report(p) {
      const pct = p.fraction !== undefined ? Math.round(100 * p.fraction) : undefined;
      const text = `neon: ${p.stage}${pct !== undefined ? ` ${pct}%` : ''}${p.message ? ` (${p.message})` : ''}`;
      if (isTTY) {
        const now = Date.now();
        if (now - lastDraw < 80 && p.stage === lastStage) return;
        lastDraw = now;
        lastStage = p.stage;
        write(`\r${text.slice(0, 79).padEnd(79)}`);
        drawn = true;
        return;
      }
      const tenth = pct !== undefined ? Math.floor(pct / 10) : -1;
      if (p.stage !== lastStage || tenth !== lastTenth) {
        lastStage = p.stage;
        lastTenth = tenth;
        write(`${text}\n`);
      }
    },
    done() {
      if (drawn) write(`\r${' '.repeat(79)}\r`);
      drawn = false;
    },
  };
}
