import { describe, expect, it } from 'vitest';
import { isSendableAddress, personJid } from '../../adapters/whatsapp/jid.js';
import { normaliseMessage } from '../../adapters/whatsapp/normalise.js';
import { whatsappFixture } from '../helpers/fake-whatsapp.js';

const NOW = new Date('2025-11-26T12:30:00Z');

describe('WhatsApp messages from recorded payloads', () => {
  it.each([
    ['text-conversation', 'Hallo Straatpraat Nazareth'],
    ['extended-text', 'Ja, meestal wel 🙂'],
    ['ephemeral-text', 'IDEE'],
    ['image-with-caption', 'Kapotte lantaarnpaal bij de school'],
  ])('reads %s as the text a resident sent', (name, text) => {
    const outcome = normaliseMessage(whatsappFixture(name), NOW);
    expect(outcome).toMatchObject({
      kind: 'message',
      content: { kind: 'payload', payload: { kind: 'text', text } },
    });
  });

  it('reads a voice note as audio media, keeping none of its content', () => {
    const outcome = normaliseMessage(whatsappFixture('voice-note'), NOW);
    expect(outcome).toMatchObject({
      kind: 'message',
      content: { kind: 'payload', payload: { kind: 'media', media: 'audio' } },
    });
    expect(JSON.stringify(outcome)).not.toMatch(/mmg|ogg/);
  });

  it('keeps the photo of a captioned image along with its text, for the idea dialog', () => {
    const outcome = normaliseMessage(whatsappFixture('image-with-caption'), NOW) as {
      content: { payload: { attachment?: { media: string; ref: string; size?: number } } };
    };
    const attachment = outcome.content.payload.attachment!;
    expect(attachment).toMatchObject({ media: 'image', size: 183225 });
    expect(JSON.parse(attachment.ref)).toMatchObject({
      type: 'image',
      url: 'https://mmg.whatsapp.net/o1/v/t62.7118-24/f1/m231/up-oil-image-abc?ccb=9-4',
    });
  });

  it('keeps what fetching a photo or voice note takes: where the encrypted file is, its key and size', () => {
    const message = whatsappFixture('voice-note');
    const mediaKey = Buffer.alloc(32, 9);
    message.message = {
      imageMessage: {
        url: 'https://mmg.whatsapp.net/o1/v/t62.7118-24/f1/m231/photo-abc?ccb=9-4',
        directPath: '/o1/v/t62.7118-24/f1/m231/photo-abc?ccb=9-4',
        mediaKey,
        mimetype: 'image/jpeg',
        fileLength: 183225,
      },
    };
    const outcome = normaliseMessage(message, NOW) as { content: { payload: { ref: string; size: number } } };
    expect(outcome.content.payload).toMatchObject({ kind: 'media', media: 'image', size: 183225 });
    expect(JSON.parse(outcome.content.payload.ref)).toEqual({
      type: 'image',
      url: 'https://mmg.whatsapp.net/o1/v/t62.7118-24/f1/m231/photo-abc?ccb=9-4',
      directPath: '/o1/v/t62.7118-24/f1/m231/photo-abc?ccb=9-4',
      mediaKey: mediaKey.toString('base64'),
      mimetype: 'image/jpeg',
    });
  });

  it.each([
    ['imageMessage', { mimetype: 'image/jpeg' }, 'image'],
    ['videoMessage', { mimetype: 'video/mp4' }, 'video'],
    ['ptvMessage', { mimetype: 'video/mp4' }, 'video'],
    ['stickerMessage', { mimetype: 'image/webp' }, 'sticker'],
    ['documentMessage', { fileName: 'brief.pdf' }, 'document'],
    ['contactMessage', { displayName: 'Jan', vcard: 'BEGIN:VCARD' }, 'contact'],
    ['locationMessage', { degreesLatitude: 50.85, degreesLongitude: 5.69 }, 'location'],
    ['liveLocationMessage', { degreesLatitude: 50.85, degreesLongitude: 5.69 }, 'location'],
  ])('reads a %s without caption (%j) as media of kind %s', (key, content, media) => {
    const message = whatsappFixture('voice-note');
    message.message = { [key]: content };
    const outcome = normaliseMessage(message, NOW);
    expect(outcome).toMatchObject({ content: { payload: { kind: 'media', media } } });
    expect(JSON.stringify(outcome)).not.toMatch(/brief|Jan|VCARD|50\.85/);
  });

  it.each([
    ['own-message', 'own message'],
    ['status-broadcast', 'status update'],
    ['group-message', 'group message'],
    ['broadcast-list', 'broadcast list'],
    ['newsletter', 'newsletter'],
    ['reaction', 'protocol or unsupported message'],
  ])('ignores %s', (name, reason) => {
    expect(normaliseMessage(whatsappFixture(name), NOW)).toEqual({ kind: 'ignored', reason });
  });

  it('keeps both ids of a LID sender whose phone number WhatsApp gives along', () => {
    const outcome = normaliseMessage(whatsappFixture('lid-sender'), NOW);
    expect(outcome).toMatchObject({
      kind: 'message',
      sender: { pn: '31612345678@s.whatsapp.net', lid: '112233445566778@lid' },
      senderJids: ['112233445566778@lid', '31612345678@s.whatsapp.net'],
      messageId: 'AC420C45005EE1E5454EA50969F308DA',
      sentAt: '2025-11-26T12:02:00.000Z',
    });
  });

  it('knows a sender by the LID alone when the phone number is hidden', () => {
    const outcome = normaliseMessage(whatsappFixture('lid-only-sender'), NOW);
    expect(outcome).toMatchObject({ kind: 'message', sender: { pn: undefined, lid: '998877665544332@lid' } });
  });

  it('reads a poll vote as the poll it is for and its encrypted choice', () => {
    const outcome = normaliseMessage(whatsappFixture('poll-update'), NOW);
    expect(outcome).toMatchObject({
      kind: 'message',
      content: { kind: 'vote', pollMessageId: '3EB0POLLPLACEHOLDER00' },
    });
    if (outcome.kind !== 'message' || outcome.content.kind !== 'vote') throw new Error('not a vote');
    expect(outcome.content.vote.encIv).toBeInstanceOf(Uint8Array);
  });

  it('turns a slash command into a command, name in lower case', () => {
    const message = whatsappFixture('text-conversation');
    message.message = { conversation: '/START nazareth' };
    expect(normaliseMessage(message, NOW)).toMatchObject({
      content: { payload: { kind: 'command', name: 'start', args: 'nazareth' } },
    });
  });

  it('says a payload without a message id is invalid, without quoting it', () => {
    const outcome = normaliseMessage(whatsappFixture('malformed-message'), NOW);
    expect(outcome.kind).toBe('invalid');
    expect(JSON.stringify(outcome)).not.toMatch(/31612345678|geen id/);
  });

  it.each([null, 42, 'tekst', { key: null }, { key: { remoteJid: 5, id: 'x' } }])(
    'never throws on garbage (%j)',
    (raw) => {
      expect(normaliseMessage(raw, NOW).kind).toBe('invalid');
    },
  );

  it('keeps the time a message was sent, however long ago', () => {
    // Sent on Friday evening, received when the connection came back on Monday: still an answer.
    const weekend = whatsappFixture('text-conversation');
    weekend.messageTimestamp = Math.floor(NOW.getTime() / 1000) - 3 * 86_400;
    expect(normaliseMessage(weekend, NOW)).toMatchObject({
      kind: 'message',
      sentAt: new Date((NOW.getTime() / 1000 - 3 * 86_400) * 1000).toISOString(),
    });
  });
});

describe('WhatsApp ids', () => {
  it('drops the device part of a person id and refuses groups', () => {
    expect(personJid('31600000001:7@s.whatsapp.net')).toBe('31600000001@s.whatsapp.net');
    expect(personJid('200000000000001:7@lid')).toBe('200000000000001@lid');
    expect(personJid('120363025246125888@g.us')).toBeNull();
    expect(isSendableAddress('31612345678@s.whatsapp.net')).toBe(true);
    expect(isSendableAddress('31612345678:3@s.whatsapp.net')).toBe(false);
    expect(isSendableAddress('+31612345678')).toBe(false);
  });
});
