// One address in front of the gateways, as a load balancer gives an operator: each TCP
// connection goes to the next gateway in turn, and to the one after when a gateway refuses
// (killed, restarting). A page keeps the address it was loaded from, so when its gateway dies
// its WebSocket reconnects here and lands on a live one. For `npm run dev:cluster`, the cluster
// e2e test and bench:load; production puts HAProxy, nginx or a cloud balancer here (SCALING.md).
import net from 'node:net';

export interface FrontProxy {
  port: number;
  /** Connections handed to each gateway port so far. */
  readonly routed: Map<number, number>;
  close(): Promise<void>;
}

export async function startFrontProxy(
  gatewayPorts: readonly number[],
  options: { port?: number; host?: string } = {},
): Promise<FrontProxy> {
  const sockets = new Set<net.Socket>();
  const routed = new Map<number, number>();
  let next = 0;

  const connectTo = (client: net.Socket, tried: number): void => {
    if (tried >= gatewayPorts.length) {
      client.destroy();
      return;
    }
    const port = gatewayPorts[next % gatewayPorts.length]!;
    next += 1;
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      routed.set(port, (routed.get(port) ?? 0) + 1);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('error', () => {});
    upstream.once('close', () => {
      sockets.delete(upstream);
      // Refused (nothing was sent yet): the next gateway. After that, the client sees the close.
      if (connected) client.destroy();
      else connectTo(client, tried + 1);
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.once('close', () => sockets.delete(client));
    connectTo(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    routed,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
