// npm run demo:reset: wipes the programme and chat in DATA_DIR and loads the demo around the current time.
import { join } from 'node:path';
import { loadConfig } from '../config';
import { resetDemoProgramme } from '../modules/programme/demo-programme';
import { openSqliteStore } from '../store/sqlite/sqlite-store';

const config = loadConfig();
const store = openSqliteStore(join(config.dataDir, 'parvis.sqlite'));
await resetDemoProgramme(store, new Date());
const events = await store.programme.listEvents({});
await store.close();
console.log(`Demo programme loaded: ${events.length} events in ${config.dataDir}`);
