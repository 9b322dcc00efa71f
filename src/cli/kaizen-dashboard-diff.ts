// `npm run kaizen -- dashboard-diff OLD.json NEW.json`: the Markdown review of a dashboard change.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DashboardError, diffDashboards, diffMarkdown, parseDashboard } from './dashboard-diff';
import { UsageError, type CommandContext } from './kaizen-common';

/** Largest dashboard file read: Grafana's own exports are well under a megabyte. */
const MAX_DASHBOARD_BYTES = 16 * 1024 * 1024;

function load(file: string) {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (Buffer.byteLength(source) > MAX_DASHBOARD_BYTES) {
    throw new UsageError(`${file} is larger than ${MAX_DASHBOARD_BYTES} bytes`);
  }
  try {
    return parseDashboard(source, file);
  } catch (error) {
    if (error instanceof DashboardError) throw new UsageError(error.message);
    throw error;
  }
}

export function dashboardDiffCommand(ctx: CommandContext, files: readonly string[]): void {
  if (files.length !== 2) throw new UsageError('give two files: OLD.json NEW.json');
  const [oldFile, newFile] = files as [string, string];
  const diff = diffDashboards(load(oldFile), load(newFile));
  ctx.io.out(diffMarkdown(diff, path.basename(oldFile), path.basename(newFile)));
}
