import { converse } from '../../flows/conversation.js';
import { loadTexts, type Texts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { Poll } from '../../flows/polls/schema.js';
import type {
  ConversationState,
  Effect,
  FlowConfig,
  FlowContext,
  FlowResult,
  FlowStep,
  StoredData,
} from '../../flows/types.js';
import { loadNewsTopics } from '../../src/config/news-topics.js';
import type { InboundPayload, MediaKind, OutboundMessageInput } from '../../src/domain/messages.js';
import type { ResidentProfile } from '../../src/domain/resident.js';
import { applyPatch } from '../../src/engine/profile.js';

let texts: Texts | undefined;
/** The real language files, loaded once per test file. */
export function testTexts(): Texts {
  texts ??= loadTexts();
  return texts;
}

/** The flow settings tests run with: both service points, the onboarding poll on. */
export const TEST_CONFIG: FlowConfig = {
  privacyUrl: 'https://example.org/privacy',
  consentVersion: 'test-1',
  onboardingPoll: true,
  servicePoints: {
    nazareth: {
      name: 'Servicepunt Nazareth',
      address: 'Plein 1, Maastricht',
      openingHours: { nl: 'ma–vr 9–12 uur', en: 'Mon–Fri 9–12' },
      phone: '043 000 0001',
    },
    pottenberg: { name: 'Servicepunt Pottenberg', address: 'Straat 2, Maastricht' },
  },
  newsTopics: loadNewsTopics({}),
};

/** A resident the identity store has just created: nothing known yet. */
export function newProfile(overrides: Partial<ResidentProfile> = {}): ResidentProfile {
  return {
    channel: 'telegram',
    language: null,
    area: null,
    ageGroup: null,
    consentVersion: null,
    consentAt: null,
    consentRefusedAt: null,
    newsOptOut: false,
    newsTopics: null,
    status: 'active',
    joinSource: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A resident who has joined: Dutch, Nazareth, consent given. */
export function joinedProfile(overrides: Partial<ResidentProfile> = {}): ResidentProfile {
  return newProfile({
    language: 'nl',
    area: 'nazareth',
    ageGroup: '27-40',
    consentVersion: 'test-1',
    consentAt: '2026-03-03T09:30:00.000Z',
    ...overrides,
  });
}

/** A FlowContext with the real texts and shipped polls unless told otherwise. */
export function flowContext(overrides: Partial<FlowContext> = {}): FlowContext {
  return {
    now: new Date('2026-03-10T12:00:00.000Z'),
    resident: newProfile(),
    isNewResident: false,
    config: TEST_CONFIG,
    texts: testTexts(),
    polls: loadPolls(),
    ...overrides,
  };
}

/** What a reply shows a resident, as one string: an ask's text, its numbered options and its hint. */
export function shown(message: OutboundMessageInput): string {
  if (message.kind === 'text') return message.text;
  const options = message.options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
  return [message.text, options, message.hint ?? ''].join('\n');
}

/** Shorthands for what a resident can send. */
export const tap = (ref: string, value: string): InboundPayload => ({ kind: 'choice', ref, value });
export const vote = (ref: string, ...values: string[]): InboundPayload => ({
  kind: 'poll_vote',
  ref,
  values,
});
export const command = (name: string, args = ''): InboundPayload => ({ kind: 'command', name, args });
/** A photo, voice note or other media without a caption. */
export const media = (kind: MediaKind): InboundPayload => ({ kind: 'media', media: kind });

export interface ResidentOptions {
  profile?: ResidentProfile;
  state?: ConversationState | null;
  polls?: ReadonlyMap<string, Poll>;
  config?: Partial<FlowConfig>;
  storedData?: StoredData;
  languageHint?: string;
  flow?: FlowStep;
}

/**
 * A resident talking to the flows as the engine would run them: state kept between messages,
 * `resident.update` patches applied to the profile, `resident.erase` forgetting everything.
 */
export class FakeResident {
  profile: ResidentProfile;
  state: ConversationState | null;
  /** Every effect of every step, in order. */
  readonly effects: Effect[] = [];
  /** Every reply of every step, in order. */
  readonly replies: OutboundMessageInput[] = [];
  erased = false;
  last!: FlowResult;
  #seen = 0;
  readonly #opts: ResidentOptions;
  readonly #polls: ReadonlyMap<string, Poll>;

  constructor(opts: ResidentOptions = {}) {
    this.#opts = opts;
    this.profile = opts.profile ?? newProfile();
    this.state = opts.state ?? null;
    this.#polls = opts.polls ?? loadPolls();
  }

  /** Sends one message (text, or a payload) and returns what the bot did. */
  send(input: string | InboundPayload): FlowResult {
    const payload: InboundPayload = typeof input === 'string' ? { kind: 'text', text: input } : input;
    const ctx = flowContext({
      resident: this.profile,
      isNewResident: this.#seen === 0 && this.state === null,
      polls: this.#polls,
      config: { ...TEST_CONFIG, ...this.#opts.config },
      ...(this.#opts.storedData && { storedData: this.#opts.storedData }),
      ...(this.#opts.languageHint && { languageHint: this.#opts.languageHint }),
    });
    this.#seen += 1;
    const result = (this.#opts.flow ?? converse)(this.state, payload, ctx);
    this.last = result;
    this.replies.push(...result.replies);
    this.effects.push(...result.effects);
    // The engine stores state as JSON: a round trip catches anything that would not survive it.
    this.state = JSON.parse(JSON.stringify(result.state)) as ConversationState;
    for (const effect of result.effects) {
      if (effect.type === 'resident.update') this.profile = applyPatch(this.profile, effect.patch);
      if (effect.type === 'resident.erase') {
        this.erased = true;
        this.profile = newProfile({ channel: this.profile.channel });
        this.state = null;
      }
    }
    return result;
  }

  /** Sends several messages; returns the last result. */
  sendAll(...inputs: (string | InboundPayload)[]): FlowResult {
    for (const input of inputs) this.send(input);
    return this.last;
  }

  /** The last step's replies as the resident sees them. */
  get said(): string[] {
    return this.last.replies.map(shown);
  }

  /** The last step's replies joined, for `toContain`. */
  get saidText(): string {
    return this.said.join('\n');
  }

  /** The answers recorded so far. */
  get answers(): Extract<Effect, { type: 'answer.record' }>[] {
    return this.effects.filter(
      (e): e is Extract<Effect, { type: 'answer.record' }> => e.type === 'answer.record',
    );
  }

  /** The last reply, if it is an ask. */
  get ask(): Extract<OutboundMessageInput, { kind: 'ask' }> | undefined {
    const last = this.last.replies.at(-1);
    return last?.kind === 'ask' ? last : undefined;
  }
}

/** A resident who has joined, idle, with the onboarding poll done. */
export function joinedResident(opts: ResidentOptions = {}): FakeResident {
  return new FakeResident({ profile: joinedProfile(), state: { flow: 'idle' }, ...opts });
}

/** Runs a resident through joining in Dutch by typing, up to the onboarding poll. */
export function joinByTyping(resident = new FakeResident()): FakeResident {
  resident.sendAll('hallo', '1', 'ja', '1', '3');
  return resident;
}

/** A GEGEVENS copy with nothing stored besides the profile; override the parts a test is about. */
export function storedData(parts: Partial<StoredData> = {}): StoredData {
  return {
    answers: [],
    waves: [],
    ideas: [],
    helpRequests: [],
    rsvps: [],
    sessionQuestions: [],
    messages: 0,
    ...parts,
  };
}
