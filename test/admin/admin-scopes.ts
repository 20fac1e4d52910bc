import { TEST_MASTER_KEY } from '../support/gateway-harness';

/** Every admin route of the console, as a method and a concrete path. */
export const CONSOLE_ROUTES: ReadonlyArray<{ readonly method: 'GET' | 'POST'; readonly path: string }> = [
  { method: 'GET', path: '/admin/usage/summary' },
  { method: 'GET', path: '/admin/usage/daily' },
  { method: 'GET', path: '/admin/usage/models' },
  { method: 'GET', path: '/admin/usage/user-paths' },
  { method: 'GET', path: '/admin/usage/keys' },
  { method: 'GET', path: '/admin/usage/log' },
  { method: 'GET', path: '/admin/audit/log' },
  { method: 'GET', path: '/admin/audit/00000000-0000-4000-8000-000000000000' },
  { method: 'GET', path: '/admin/audit/00000000-0000-4000-8000-000000000000/thread' },
  { method: 'GET', path: '/admin/providers/status' },
  { method: 'POST', path: '/admin/runtime/refresh' },
  { method: 'GET', path: '/admin/runtime/config' },
  { method: 'GET', path: '/admin/models' },
  { method: 'GET', path: '/admin/live' },
];

/**
 * Who calls, and what the admin routes must answer them. An inference-only managed key (403)
 * joins this list when managed keys land: `{ name: 'inference key', headers: …, status: 403 }`.
 */
export const CALLERS: ReadonlyArray<{ readonly name: string; readonly headers: Record<string, string>; readonly refusedWith?: number }> = [
  { name: 'no key', headers: {}, refusedWith: 401 },
  { name: 'a wrong key', headers: { authorization: 'Bearer not-the-key' }, refusedWith: 401 },
  { name: 'the master key', headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } },
];
