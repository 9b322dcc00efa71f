// Real packet loss for drills: a network namespace of the drill's own, joined to this host by a
// veth pair on a /30 of 10.231.0.0/16, where nftables drops a share of the packets each way
// (`numgen random mod 100 < P drop`). The server runs inside it; everything that reaches it
// crosses the lossy link. Where namespaces cannot be made (no root, no nft), it says why, and the
// drill runs without loss.
import { spawnSync } from 'node:child_process';

export interface LossyNamespace {
  name: string;
  /** The namespace's address (the server binds it) and this host's end of the link. */
  nsAddress: string;
  hostAddress: string;
  lossPercent: number;
  /** Prefix that runs a command inside the namespace. */
  exec: string[];
  /** Packets nftables dropped so far, both ways. */
  dropped(): number;
  close(): void;
}

export type LossyResult = { ok: true; ns: LossyNamespace } | { ok: false; reason: string };

function run(cmd: string, args: string[], input?: string): { ok: boolean; output: string } {
  const result = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 10_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0 && !result.error, output: result.error?.message ?? output };
}

export function createLossyNamespace(lossPercent: number): LossyResult {
  if (!Number.isInteger(lossPercent) || lossPercent < 0 || lossPercent > 100) {
    throw new RangeError('[drill] the loss must be a whole percentage 0-100');
  }
  for (const tool of ['ip', 'nft']) {
    if (!run(tool, ['-V']).ok) {
      return { ok: false, reason: `${tool} not found (Debian: iproute2, nftables)` };
    }
  }
  // Names and a subnet of this process, so concurrent drills do not meet.
  const id = process.pid % 100_000;
  const name = `phase-chaos-${id}`;
  const hostIf = `pch${id}`;
  const nsIf = `pcn${id}`;
  const third = (process.pid >> 6) % 250;
  const fourth = (process.pid % 64) * 4;
  const hostAddress = `10.231.${third}.${fourth + 1}`;
  const nsAddress = `10.231.${third}.${fourth + 2}`;
  const inNs = ['netns', 'exec', name];
  const steps: [string, string[], string?][] = [
    ['ip', ['netns', 'add', name]],
    ['ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]],
    ['ip', ['link', 'set', nsIf, 'netns', name]],
    ['ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]],
    ['ip', ['link', 'set', hostIf, 'up']],
    ['ip', [...inNs, 'ip', 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf]],
    ['ip', [...inNs, 'ip', 'link', 'set', nsIf, 'up']],
    ['ip', [...inNs, 'ip', 'link', 'set', 'lo', 'up']],
    [
      'ip',
      [...inNs, 'nft', '-f', '-'],
      `table inet phase_chaos {
  chain lossy_in {
    type filter hook input priority 0; policy accept;
    iifname "${nsIf}" numgen random mod 100 < ${lossPercent} counter drop
  }
  chain lossy_out {
    type filter hook output priority 0; policy accept;
    oifname "${nsIf}" numgen random mod 100 < ${lossPercent} counter drop
  }
}
`,
    ],
  ];
  const close = (): void => {
    // Deleting the namespace deletes its end of the pair, and with it the other.
    run('ip', ['netns', 'del', name]);
    run('ip', ['link', 'del', hostIf]);
  };
  for (const [cmd, args, input] of steps) {
    const step = run(cmd, args, input);
    if (!step.ok) {
      close();
      return {
        ok: false,
        reason: `cannot make the lossy namespace (${cmd} ${args.join(' ')}: ${step.output.split('\n')[0]})`,
      };
    }
  }
  return {
    ok: true,
    ns: {
      name,
      nsAddress,
      hostAddress,
      lossPercent,
      exec: ['ip', ...inNs],
      dropped() {
        const listed = run('ip', [...inNs, 'nft', 'list', 'table', 'inet', 'phase_chaos']);
        return [...listed.output.matchAll(/counter packets (\d+)/g)].reduce(
          (n, m) => n + Number(m[1]),
          0,
        );
      },
      close,
    },
  };
}
