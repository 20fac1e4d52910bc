import type { ResponseEvent } from '@app/responses';

/** Responses events as OpenAI writes them (`event:` line with the type, then `data:`), one chunk per batch. */
export function eventsText(events: readonly ResponseEvent[]): string {
  let text = '';
  for (const event of events) text += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  return text;
}
