import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { REDIS_URL } from '../helpers/env.js';
import { describeAdapterContract } from './adapter-contract.js';

describeAdapterContract({
  name: 'console',
  async create() {
    const prefix = `sptest-contract-${randomBytes(4).toString('hex')}`;
    const redis = new Redis(REDIS_URL);
    const adapter = new ConsoleAdapter(redis, prefix);
    let n = 0;
    let line = 0;
    return {
      adapter,
      address: () => `bewoner-${++n}`,
      invalidAddress: 'geen geldige naam!',
      async received(address) {
        const texts = await redis.lrange(ConsoleAdapter.inboxKey(prefix, address), 0, -1);
        return texts.map((text) => ({ text, buttons: [] }));
      },
      async typed(address, text) {
        return ConsoleAdapter.normalise(text, address, `contract-${++line}`, new Date());
      },
      async cleanup() {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      },
    };
  },
});
