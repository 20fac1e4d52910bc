import { describeBadInputCorpus } from './bad-input/bad-input-suite';

// Bad client input on every route, on the embedded store (SQLite): never a 5xx, always the route's envelope.
describeBadInputCorpus('bad input on every route (SQLite)', async () => ({ env: {} }));
