import { describe, expect, it } from 'vitest';
import { createEventParser } from './stream.ts';

describe('createEventParser', () => {
  it('gives each event once it is complete, across chunk boundaries and CRLF line ends', () => {
    const messages: { event: string; data: string }[] = [];
    const parse = createEventParser((message) => messages.push(message));
    parse('event: accepted\ndata: {"defect_id":');
    expect(messages).toEqual([]);
    parse('"DEF-1"}\n\nevent: classification\r\ndata: {"a":1}\r\n\r\ndata: x\n');
    parse('data: y\n\n');
    expect(messages).toEqual([
      { event: 'accepted', data: '{"defect_id":"DEF-1"}' },
      { event: 'classification', data: '{"a":1}' },
      { event: 'message', data: 'x\ny' },
    ]);
  });
});
