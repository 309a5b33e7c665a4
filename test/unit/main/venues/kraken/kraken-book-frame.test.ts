import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCaptureText } from '../../../../../src/main/capture/replay-lines';
import { readBookFrame } from '../../../../../src/main/venues/kraken/book-frame';
import { parseKrakenFrame, parseKrakenFrameJson } from '../../../../../src/main/venues/kraken/messages';
import { capture } from '../../../../support/paths';

/** What a reader makes of a frame: its message, or the error it throws. */
function outcome(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe('Kraken book frames read directly', () => {
  it('gives the same message as the JSON reader for every frame of the Kraken capture, and reads every book frame itself', () => {
    const frames = parseCaptureText(readFileSync(capture('kraken_2021-04-17.capture.jsonl'), 'utf8'))
      .filter((l) => l.kind === 'recv')
      .map((l) => l.data!);
    let direct = 0;
    for (const frame of frames) {
      expect(parseKrakenFrame(frame)).toEqual(parseKrakenFrameJson(frame));
      if (readBookFrame(frame)) direct++;
    }
    const bookFrames = frames.filter((f) => f.startsWith('{"channel":"book"')).length;
    expect(bookFrames).toBeGreaterThan(4269);
    expect(direct).toBe(bookFrames);
  });

  it('agrees with the JSON reader, or leaves the frame to it, on every other layout and on malformed frames', () => {
    const ok = '{"channel":"book","type":"update","data":[{"symbol":"XMR/USD","bids":[{"price":354.13000000,"qty":0.00000000}],"asks":[{"price":355.1,"qty":2}],"checksum":1453093704,"timestamp":"2023-10-06T17:35:55.440295Z"}]}';
    const variants = [
      ok,
      ok.replace('"type":"update"', '"type":"snapshot"'),
      ok.replace('"type":"update"', '"type":"other"'),
      ok.replace(',"timestamp":"2023-10-06T17:35:55.440295Z"', ''),
      ok.replace('"timestamp":"2023-10-06T17:35:55.440295Z"', '"timestamp":"not a time"'),
      ok.replace('"bids":[{"price":354.13000000,"qty":0.00000000}],', ''),
      ok.replace('"checksum":1453093704', '"checksum":4294967296'),
      ok.replace('"checksum":1453093704', '"checksum":01453093704'),
      ok.replace('"checksum":1453093704', '"checksum":1453093704.0'),
      ok.replace('"checksum":1453093704', '"checksum":-1'),
      ok.replace('"symbol":"XMR/USD"', '"symbol":""'),
      ok.replace('"symbol":"XMR/USD"', '"symbol":"XMR\\/USD"'),
      ok.replace('"symbol":"XMR/USD",', ''),
      ok.replace('354.13000000', '"354.13000000"'),
      ok.replace('354.13000000', '3.5413e2'),
      ok.replace('354.13000000', '0354.13'),
      ok.replace('354.13000000', '354.'),
      ok.replace('354.13000000', '-354.13'),
      ok.replace('{"price":354.13000000,"qty":0.00000000}', '{"qty":0.00000000,"price":354.13000000}'),
      ok.replace('{"price":354.13000000,"qty":0.00000000}', '{"price":354.13000000,"qty":0.00000000,"extra":1}'),
      ok.replace('"bids":[', '"bids": ['),
      ok.replace('"asks":[{"price":355.1,"qty":2}]', '"asks":[{"price":355.1,"qty":2}],"asks":[]'),
      ok.replace('"data":[{', '"data":[{"extra":true,'),
      ok.replace('}]}', '}],"extra":1}'),
      ok.replace(']}', '},{"symbol":"BTC/USD","bids":[],"asks":[]}]}').replace('}},{', '},{'),
      '{"channel":"book","type":"update","data":[]}',
      ok.slice(0, -1),
      ok + ' ',
      ok.slice(0, 80),
    ];
    for (const frame of variants) {
      expect(outcome(() => parseKrakenFrame(frame)), frame).toEqual(outcome(() => parseKrakenFrameJson(frame)));
    }
    // The usual layout is read directly.
    expect(readBookFrame(ok)?.entries[0]).toEqual({ symbol: 'XMR/USD', bids: [['354.13000000', '0.00000000']], asks: [['355.1', '2']], checksum: 1453093704, exchangeTs: Date.parse('2023-10-06T17:35:55.440295Z') });
  });
});
