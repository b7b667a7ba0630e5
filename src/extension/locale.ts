import * as vscode from 'vscode';
import { formatCount } from '../protocol/count';

/** A count of rows / documents / members in VS Code's display language (see protocol/count.ts). */
export function count(n: number): string {
  return formatCount(n, vscode.env.language);
}

/** VS Code's display language as a safe BCP 47 tag for the panel's <html lang>. */
export function displayLanguage(): string {
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(vscode.env.language) ? vscode.env.language : 'en';
}
