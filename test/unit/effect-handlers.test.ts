import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { effectHandlers, touchesOthers } from '../../src/engine/effects/index.js';

describe('effect handlers', () => {
  it('has one handler for each effect type a flow emits', () => {
    expect(Object.keys(effectHandlers).sort()).toEqual(
      [
        'answer.record',
        'desk',
        'flash.rsvp',
        'idea.store',
        'resident.erase',
        'resident.update',
        'session.question',
        'wave.progress',
      ].sort(),
    );
  });

  it('makes a batch read its residents again only after a desk action', () => {
    expect(touchesOthers([{ type: 'resident.erase' }, { type: 'flash.rsvp', flashId: 'f' }])).toBe(false);
    expect(touchesOthers([{ type: 'idea.store', text: 'x', theme: 'y' }])).toBe(false);
    const others = (Object.keys(effectHandlers) as (keyof typeof effectHandlers)[]).filter(
      (type) => effectHandlers[type].touchesOthers,
    );
    expect(others).toEqual(['desk']);
  });
});

describe('the engine file', () => {
  const source = readFileSync(new URL('../../src/engine/engine.ts', import.meta.url), 'utf8');

  it('stays under 300 lines', () => {
    expect(source.split('\n').length).toBeLessThan(300);
  });

  it('imports no feature folder: the effect handlers do', () => {
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    const allowed =
      /^(bullmq|kysely|\.\/.*|\.\.\/\.\.\/flows\/types\.js|\.\.\/(db|domain|privacy|queue)\/.*)$/;
    expect(imports.filter((i) => !allowed.test(i))).toEqual([]);
  });
});
