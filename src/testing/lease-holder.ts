// A process that takes a lease and holds it until it is killed, for the leases' failover test
// (`node --import tsx lease-holder.ts URL NAME`): it prints "held NAME" once it holds it.
import { pgLeases } from '../server/state/leases';

const [url, name] = process.argv.slice(2);
if (!url || !name) {
  process.stderr.write('usage: lease-holder.ts URL NAME\n');
  process.exit(2);
}
const leases = pgLeases({ url, retryMs: 100 });
leases.onChange((lease, held) => {
  if (held) process.stdout.write(`held ${lease}\n`);
});
leases.want(name);
// Holds the process open: the lease lives as long as the process does.
setInterval(() => undefined, 60_000);
