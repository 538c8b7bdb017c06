import type { FlowStep } from './types.js';

/**
 * The resident conversation's entry point: keywords first, then whatever flow the resident is in.
 */
export const converse: FlowStep = (state, input, ctx) => {
  const language = ctx.resident.language ?? 'nl';
  const text = input.kind === 'text' ? input.text.trim().toLowerCase() : '';
  if (text === 'hulp' || text === 'help') {
    return {
      state: state ?? { flow: 'idle' },
      replies: [{ kind: 'text', text: ctx.texts.t(language, 'help-intro') }],
      effects: [],
    };
  }
  return {
    state: { flow: 'idle' },
    replies: [{ kind: 'text', text: ctx.texts.t(language, 'welcome') }],
    effects: [],
  };
};
