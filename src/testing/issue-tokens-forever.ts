// Child process of the token store's crash test: issues tokens in a loop and prints each one's id
// and secret on a line of its own once its transaction has committed, until it is killed.
import { openTenantDatabase } from '../server/tenants/schema';
import { issueToken } from '../server/tenants/token-store';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: issue-tokens-forever.ts DATA_DIR');
const db = openTenantDatabase(dataDir);
for (let i = 0; ; i++) {
  const { tokenId, token } = issueToken(db, { name: `crash ${i}`, tenants: ['a', 'b'] });
  process.stdout.write(`${tokenId} ${token}\n`);
}
