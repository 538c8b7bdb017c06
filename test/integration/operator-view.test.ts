import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { createLogger } from '../../src/log.js';
import { consoleInbox, consoleMessage } from '../helpers/app.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

// One installation whose logger writes to memory at level info, as production runs.
const logLines: string[] = [];
let setup: TestSetup;
let app: App;

const ADDRESS = 'resident-log-scan-0612345678';
const CONVERSATION = [
  'hallo daar, ik wil meedoen',
  '1',
  'ja',
  '1',
  '3',
  '4',
  '3',
  '5',
  'IDEE',
  'Meer bankjes bij het speelveld, mail me op kees.log@example.org',
];
const platformIds = CONVERSATION.map((_, i) => `log-scan-platform-${i}-xyz`);

beforeAll(async () => {
  setup = testSetup({ LOG_LEVEL: 'info' });
  const log = createLogger('info', { write: (line: string) => void logLines.push(line) });
  app = await startApp({ env: setup.env, log });
  // A whole conversation: joining, a poll of three questions, an idea with an e-mail address.
  for (const [i, text] of CONVERSATION.entries()) {
    const before = (await consoleInbox(app, ADDRESS)).length;
    await app.ingress.accept(consoleMessage(ADDRESS, text, platformIds[i]));
    await eventually(
      async () => (await consoleInbox(app, ADDRESS)).length > before,
      20_000,
      `reply to #${i}`,
    );
  }
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await setup?.cleanup();
});

describe('logs at info level', () => {
  it('never contain the resident’s address, chat id or message texts', () => {
    const output = logLines.join('');
    expect(logLines.length).toBeGreaterThan(0);
    const secrets = [
      ADDRESS,
      ...platformIds,
      ...CONVERSATION.filter((t) => t.length > 4),
      'kees.log@example.org',
    ];
    for (const secret of secrets) expect(output, `log output contains ${secret}`).not.toContain(secret);
    // What the bot said back is the resident's conversation too.
    return consoleInbox(app, ADDRESS).then((replies) => {
      for (const reply of replies) {
        const firstLine = reply.split('\n')[0]!;
        if (firstLine.length > 20) expect(output).not.toContain(firstLine);
      }
    });
  });
});

describe('/metrics after a conversation', () => {
  it('has send rates per channel, send failures, queue depth and inbound-to-reply latency', async () => {
    const res = await fetch(`http://127.0.0.1:${app.httpPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const sent = text.match(/^straatpraat_messages_sent_total\{channel="console",kind="reply"\} (\d+)/m);
    expect(Number(sent?.[1])).toBeGreaterThanOrEqual(CONVERSATION.length);
    expect(text).toContain('# TYPE straatpraat_send_failures_total counter');
    expect(text).toMatch(/^straatpraat_queue_depth\{queue="inbound-0",state="waiting"\} \d+/m);
    const latency = text.match(/^straatpraat_inbound_to_reply_seconds_count\{channel="console"\} (\d+)/m);
    expect(Number(latency?.[1])).toBeGreaterThanOrEqual(CONVERSATION.length);
    expect(text).toMatch(/^straatpraat_jobs_processed_total\{queue="inbound"\} \d+/m);
  });
});

describe('/admin/queues', () => {
  const url = () => `http://127.0.0.1:${app.httpPort}/admin/queues`;

  it('answers 401 without a token and 403 for a token that is not an admin’s', async () => {
    expect((await fetch(url())).status).toBe(401);
    expect((await fetch(`${url()}/api/queues`)).status).toBe(401);
    const analyst = await createToken(app.db, 'analyst', 'ops-test analyst');
    const res = await fetch(url(), { headers: { authorization: `Bearer ${analyst.token}` } });
    expect(res.status).toBe(403);
    const api = await fetch(`${url()}/api/queues`, { headers: { authorization: `Bearer ${analyst.token}` } });
    expect(api.status).toBe(403);
  });

  it('shows every queue to an admin', async () => {
    const admin = await createToken(app.db, 'admin', 'ops-test admin');
    const headers = { authorization: `Bearer ${admin.token}` };
    const page = await fetch(url(), { headers });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const api = await fetch(`${url()}/api/queues?activeQueue=inbound-0&status=latest&page=1`, { headers });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    const names = body.queues.map((q) => q.name);
    expect(names).toContain('inbound-0');
    expect(names).toContain('outbound-console');
  });
});
