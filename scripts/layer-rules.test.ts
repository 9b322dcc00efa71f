// The layer import rules (docs/ARCHITECTURE.md, layers) must actually fire: lint a forbidden import
// in each layer, the browser app's own layers included, and expect the rule's error with its reason.
import { existsSync } from 'node:fs';
import path from 'node:path';
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
    source: "import { RenderLoop } from '../app/frames/render-loop';",
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
  {
    file: 'src/app/state/probe.ts',
    source: "import { FrameStore } from '../frames/frame-store';",
    reason: 'app state is the bottom layer',
  },
  {
    file: 'src/app/url/probe.ts',
    source: "import { ticketFilters } from '../tickets/filters';",
    reason: 'app url reads and writes the address bar',
  },
  {
    file: 'src/app/api/probe.ts',
    source: "import { useApi } from '../shell/hooks';",
    reason: 'app api is the REST client',
  },
  {
    file: 'src/app/frames/probe.ts',
    source: "import { createAppActions } from '../shell/actions';",
    reason: 'app frames is the frame pipeline',
  },
  {
    file: 'src/app/tickets/probe.ts',
    source: "import { useActions } from '../shell/hooks';",
    reason: 'app tickets is the Kaizen logic',
  },
  {
    file: 'src/app/shell/probe.ts',
    source: "import { startEmbedBridge } from '../embed/bridge';",
    reason: 'app shell builds the app context',
  },
  {
    file: 'src/app/embed/probe.ts',
    source: "import { Hud } from '../components/Hud';",
    reason: 'app embed talks to the host page',
  },
  {
    file: 'src/app/components/probe.ts',
    source: "import { App } from '../App';",
    reason: 'app components render from the app context',
  },
];

const SCAFFOLDING = 'test and drill scaffolding stays out of the product';

// Production files: anything under src/ that is neither a *.test.ts file nor under src/testing/.
const FORBIDDEN_SCAFFOLDING = [
  {
    file: 'src/server/probe.ts',
    source: "import { startTestServer } from '../testing/test-server';",
  },
  {
    file: 'src/server/stream/probe.ts',
    source: "import { startChaosProxy } from '../../testing/chaos-proxy';",
  },
  {
    file: 'src/cli/probe.ts',
    source: "import { tempDir } from '../testing/temp-dir';",
  },
  {
    file: 'src/app/components/Probe.tsx',
    source: "import { virtualClock } from '../../testing/virtual-clock';",
  },
  {
    file: 'src/core/probe.ts',
    source: "import { virtualClock } from '../testing/virtual-clock';",
  },
  {
    file: 'src/server/probe.ts',
    source: "import { spawnServer } from '../../bench/support/server-process';",
  },
  {
    file: 'src/server/probe.ts',
    source: "import { waitForFrames } from '../../e2e/support';",
  },
];

// Tests beside those product files, the scaffolding itself, and the benchmarks and drills may
// import it.
const ALLOWED_SCAFFOLDING = [
  ...FORBIDDEN_SCAFFOLDING.map(({ file, source }) => ({
    file: file.replace(/\.tsx?$/, '.test.ts'),
    source,
  })),
  { file: 'src/testing/probe.ts', source: "import { tempDir } from './temp-dir';" },
  {
    file: 'bench/probe.ts',
    source: "import { startChaosProxy } from '../src/testing/chaos-proxy';",
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

  it.each(FORBIDDEN_SCAFFOLDING)(
    'refuse $source in the product file $file',
    async ({ file, source }) => {
      const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, {
        filePath: file,
      });
      const messages = result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths');
      expect(messages).toHaveLength(1);
      expect(messages[0]!.message).toContain(SCAFFOLDING);
    },
  );

  it.each(ALLOWED_SCAFFOLDING)('allow $source in $file', async ({ file, source }) => {
    // An import that does not resolve is never reported: the file must exist for this to count.
    const specifier = /from '([^']+)'/.exec(source)![1]!;
    expect(existsSync(path.resolve(path.dirname(file), `${specifier}.ts`))).toBe(true);
    const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, {
      filePath: file,
    });
    expect(result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths')).toEqual([]);
  });

  it.each([
    { file: 'src/server/probe.ts', source: "import { crc32 } from '../core/crc32';" },
    {
      file: 'src/app/components/probe.ts',
      source: "import { FrameStore } from '../frames/frame-store';",
    },
    { file: 'src/app/tickets/probe.ts', source: "import { viewQuery } from '../url/sync';" },
    {
      file: 'src/app/frames/probe.ts',
      source: "import { DEFAULT_DISPLAY } from '../state/display';",
    },
  ])('allow the permitted direction $source in $file', async ({ file, source }) => {
    const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, {
      filePath: file,
    });
    expect(result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths')).toEqual([]);
  });
});
