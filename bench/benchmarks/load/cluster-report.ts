// With --gateways: what each process of the cluster cost over the window. Per gateway its CPU,
// clients, egress to them and the frame bytes it took from NATS; the source's CPU and what it
// published; nats-server's CPU. The figures docs/SCALING.md's capacity model is built on.
import { round } from '../../support/round';
import { metricSum } from '../../support/server-metrics';
import type { NodeReading, Snapshot } from './sampling';

export function clusterReport(before: Snapshot, after: Snapshot, tenant: string) {
  if (after.nodes.length === 0) return null;
  const windowS = (after.atMs - before.atMs) / 1000;
  const label = { tenant_id: tenant };
  const nodes = after.nodes.map((node, i) => {
    const was: NodeReading = before.nodes[i]!;
    const delta = (name: string): number =>
      metricSum(node.metrics, name, label) - metricSum(was.metrics, name, label);
    const cpuPercentOfCore =
      node.cpuSeconds !== null && was.cpuSeconds !== null
        ? round((100 * (node.cpuSeconds - was.cpuSeconds)) / windowS, 1)
        : null;
    const clients = metricSum(node.metrics, 'ws_clients', label);
    return {
      role: node.role,
      url: node.url,
      cpuPercentOfCore,
      clients,
      cpuPercentPer100Clients:
        node.role === 'gateway' && cpuPercentOfCore !== null && clients > 0
          ? round((100 * cpuPercentOfCore) / clients, 1)
          : null,
      egressBytesPerSecond: Math.round(delta('ws_bytes_sent_total') / windowS),
      natsBytesInPerSecond: Math.round(delta('cluster_frame_bytes_received_total') / windowS),
      natsBytesOutPerSecond: Math.round(delta('cluster_frame_bytes_published_total') / windowS),
      framesPublishedPerSecond: round(delta('cluster_frames_published_total') / windowS, 1),
      keyframesPublished: delta('cluster_keyframes_published_total'),
    };
  });
  return {
    gateways: nodes.filter((n) => n.role === 'gateway').length,
    nodes,
    note:
      'cpu from /proc/PID/stat over the window; egress is ws_bytes_sent_total (whole frame ' +
      'messages to clients); NATS bytes are the frame messages, without NATS protocol overhead',
  };
}
