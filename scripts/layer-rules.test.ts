// The layer import rules of DESIGN.md section 3 must actually fire: lint a forbidden import in
// each layer and expect the rule's error with its reason.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

const FORBIDDEN = [
  {
    file: 'src/core/probe.ts',
    source: "import { createRng } from '../sim/rng';",
    reason: 'core is pure',
  },
  {
    file: 'src/core/probe.ts',
    source: "import { parseServerConfig } from '../server/config';",
    reason: 'core is pure',
  },
  {
    file: 'src/sim/probe.ts',
    source: "import { openTraceFile } from '../server/trace-file';",
    reason: 'sim is a pure model',
  },
  {
    file: 'src/render/probe.ts',
    source: "import { VizController } from '../app/viz/controller';",
    reason: 'renderers are imperative',
  },
  {
    file: 'src/app/probe.ts',
    source: "import { createHttpApp } from '../server/http-app';",
    reason: 'the browser app talks to the server',
  },
  {
    file: 'src/server/probe.ts',
    source: "import { createCanvasHeatmap } from '../render/canvas-heatmap';",
    reason: 'the server is Node only',
  },
  {
    file: 'src/server/stream/probe.ts',
    source: "import { openTenancy } from '../tenants/runtime';",
    reason: 'tenants/ builds streams from tenant records',
  },
];

describe('layer import rules', () => {
  it.each(FORBIDDEN)('refuse $source in $file', async ({ file, source, reason }) => {
    const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, {
      filePath: file,
    });
    const messages = result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.message).toContain(reason);
  });

  it('allow the permitted directions', async () => {
    const [result] = await eslint.lintText(
      "import { crc32 } from '../core/crc32';\nexport const probe = crc32;\n",
      { filePath: 'src/server/probe.ts' },
    );
    expect(result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths')).toEqual([]);
  });
});
