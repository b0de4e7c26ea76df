/** Small Markdown builders for reports: table cells, fenced blocks and collapsible sections that cannot break. */

/** A table cell: pipes escaped and newlines flattened so one value never splits the row. */
export function cell(value: unknown): string {
  const text = value === null || value === undefined || value === '' ? '—' : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function table(header: string[], rows: unknown[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** A fenced code block whose fence is longer than any backtick run inside, so logs cannot close it early. */
export function fenced(text: string, lang = 'text'): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/** A GitHub collapsible block; the blank lines are required for Markdown to render inside. */
export function details(summary: string, body: string): string {
  const safeSummary = summary.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<details><summary>${safeSummary}</summary>\n\n${body}\n\n</details>`;
}
