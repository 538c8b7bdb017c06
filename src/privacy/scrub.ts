// Placeholder until the scrubber lands (helper is writing it).
export const MAX_FREE_TEXT = 1000;
export function scrub(text: string): string {
  return text.slice(0, MAX_FREE_TEXT);
}
