import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterColor, clusterShape, PALETTE_SIZE, themeKindFromClasses, type ThemeKind } from '../../../webview/lib/palette';
import { contrastRatio, parseCssColor } from '../../../webview/lib/color';

test('themeKindFromClasses reads the body classes VS Code sets', () => {
  assert.equal(themeKindFromClasses(['vscode-light']), 'light');
  assert.equal(themeKindFromClasses(['vscode-dark']), 'dark');
  assert.equal(themeKindFromClasses(['vscode-high-contrast']), 'high-contrast');
  assert.equal(themeKindFromClasses(['vscode-high-contrast', 'vscode-high-contrast-light']), 'high-contrast-light');
  assert.equal(themeKindFromClasses([]), 'dark');
});

test('the first PALETTE_SIZE clusters get distinct colours in every theme kind', () => {
  for (const kind of ['dark', 'light', 'high-contrast', 'high-contrast-light'] as ThemeKind[]) {
    const colours = new Set(Array.from({ length: PALETTE_SIZE }, (_, i) => clusterColor(i, kind)));
    assert.equal(colours.size, PALETTE_SIZE, kind);
  }
});

test('cluster colours keep at least 3:1 contrast (WCAG non-text) with the theme background', () => {
  const backgrounds: Record<ThemeKind, string> = { dark: '#1e1e1e', light: '#ffffff', 'high-contrast': '#000000', 'high-contrast-light': '#ffffff' };
  for (const [kind, bg] of Object.entries(backgrounds) as [ThemeKind, string][]) {
    const b = parseCssColor(bg)!;
    for (let i = 0; i < PALETTE_SIZE; i++) {
      const c = parseCssColor(clusterColor(i, kind))!;
      assert.ok(contrastRatio(c, b) >= 3, `${kind} cluster ${i}: ${clusterColor(i, kind)} on ${bg} = ${contrastRatio(c, b).toFixed(2)}`);
    }
  }
});

test('no two clusters below 60 share both colour and shape', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 60; i++) {
    const key = `${clusterColor(i, 'dark')}/${clusterShape(i)}`;
    assert.ok(!seen.has(key), `cluster ${i} repeats ${key}`);
    seen.add(key);
  }
});
