import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { startTestApp } from '../helpers/app.js';
import { form, rawRequest } from '../helpers/http.js';

// An ingress process: nothing works the console's outbound queue, so the jobs put there stay put.
let app: App;
let stop: () => Promise<void>;
let base: string;
let admin: { id: number; token: string };
const QUEUE = 'outbound-console';
const SECRET = 'resident-address-0612345678';
const DELAYED = 'dashboard-delayed-job';

beforeAll(async () => {
  ({ app, stop } = await startTestApp({}, 'ingress'));
  base = `http://127.0.0.1:${app.httpPort}`;
  admin = await createToken(app.db, 'admin', 'dashboard attacker');
  const queue = app.queues.outbound('console');
  await queue.add('waiting-one', { address: SECRET, text: 'Hallo buurman' });
  await queue.add('delayed-one', { address: SECRET, text: 'Later' }, { delay: 3_600_000, jobId: DELAYED });
}, 60_000);

afterAll(async () => {
  await stop?.();
});

async function state() {
  const queue = app.queues.outbound('console');
  return {
    counts: await queue.getJobCounts('waiting', 'delayed', 'completed', 'failed', 'prioritized'),
    paused: await queue.isPaused(),
    delayedState: await queue.getJobState(DELAYED),
  };
}

describe('the queue dashboard with an admin token', () => {
  const api = `/admin/queues/api/queues/${QUEUE}`;
  const attempts: { method: string; path: string; body?: string }[] = [
    {
      method: 'POST',
      path: `${api}/add`,
      body: JSON.stringify({ name: 'send', data: { address: '31600000000', text: 'Phishing link' } }),
    },
    { method: 'PUT', path: `${api}/retry/failed` },
    { method: 'PUT', path: `${api}/retry/completed` },
    { method: 'PUT', path: `${api}/clean/delayed` },
    { method: 'PUT', path: `${api}/promote` },
    { method: 'PUT', path: `${api}/${DELAYED}/promote` },
    { method: 'PUT', path: `${api}/${DELAYED}/clean` },
    { method: 'PATCH', path: `${api}/${DELAYED}/update-data`, body: JSON.stringify({ data: { x: 1 } }) },
    { method: 'PUT', path: `${api}/pause` },
    { method: 'PUT', path: '/admin/queues/api/queues/pause' },
    { method: 'DELETE', path: `${api}/empty` },
    { method: 'PUT', path: `${api}/obliterate` },
  ];

  it('cannot add, retry, clean, promote, edit, pause or empty anything; every try is audited', async () => {
    const before = await state();
    expect(before.counts.waiting).toBe(1);
    expect(before.delayedState).toBe('delayed');
    for (const { method, path, body } of attempts) {
      const res = await rawRequest(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body }),
      });
      expect(res.status, `${method} ${path}`).toBe(405);
    }
    expect(await state()).toEqual(before);
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'queue-dashboard.refused')
      .execute();
    expect(audit).toHaveLength(attempts.length);
    expect(audit.every((a) => a.actor === `token:${admin.id}`)).toBe(true);
    expect(audit.map((a) => (a.details as { method: string }).method).sort()).toEqual(
      attempts.map((a) => a.method).sort(),
    );
  });

  it('cannot change anything from a signed-in browser either', async () => {
    const f = form({ token: admin.token });
    const login = await rawRequest(`${base}/results/login`, {
      method: 'POST',
      headers: { ...f.headers, origin: base },
      body: f.body,
    });
    const cookie = login.cookies.find((c) => c.startsWith('straatpraat_session='))!;
    const page = await rawRequest(`${base}/admin/queues`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const before = await state();
    const res = await rawRequest(`${base}${api}/add`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'send', data: { address: '31600000000', text: 'x' } }),
    });
    expect(res.status).toBe(405);
    expect(await state()).toEqual(before);
  });

  it('shows the queues read-only, without the strings in job data', async () => {
    const headers = { authorization: `Bearer ${admin.token}` };
    const res = await rawRequest(
      `${base}/admin/queues/api/queues?activeQueue=${QUEUE}&status=latest&page=1`,
      {
        headers,
      },
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as {
      queues: { name: string; readOnlyMode: boolean; jobs: { data: Record<string, unknown> }[] }[];
    };
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    const console_ = body.queues.find((q) => q.name === QUEUE)!;
    expect(console_.jobs.length).toBeGreaterThan(0);
    expect(console_.jobs[0]!.data).toEqual({ address: '[hidden]', text: '[hidden]' });
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('Hallo buurman');
  });
});
