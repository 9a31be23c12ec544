// Runs the wire server over the fake engine on a given port, for manual checks and for pgbench
// comparisons of the protocol layer alone: `npx tsx test/wire/serve-fake.ts 55440`.
import { startServer } from '../../src/wire/index.js';
import { FakeEngine } from './fake-engine.js';

const engine = new FakeEngine();
for (const user of ['postgres', 'root', 'alice']) engine.addRole(user, null);
const server = await startServer(engine, { host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
process.stdout.write(`fake server on ${server.port}\n`);
process.on('SIGINT', () => { void server.close().then(() => process.exit(0)); });
process.on('SIGTERM', () => { void server.close().then(() => process.exit(0)); });
