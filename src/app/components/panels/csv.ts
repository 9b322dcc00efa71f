// Panel data as CSV (RFC 4180) and files the browser downloads: what each panel's "CSV" button
// and the heatmap's "PNG" button hand the operator.

export type CsvCell = string | number | boolean | null;

/** A panel's data: the column names and one row per record. */
export interface CsvTable {
  columns: string[];
  rows: CsvCell[][];
}

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  // A spreadsheet runs a cell that starts with = + - or @ as a formula: a ticket title must not.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: CsvTable): string {
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** `phase-console-demo-latency-2026-03-01T12-00-00Z.csv`: what, whose and when, sortable. */
export function exportFileName(
  tenant: string | null,
  what: string,
  ext: string,
  atMs: number,
): string {
  const stamp = new Date(atMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `phase-console-${tenant ?? 'console'}-${what}-${stamp}.${ext}`;
}

/** Hands the browser a file to save. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; it can go once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
