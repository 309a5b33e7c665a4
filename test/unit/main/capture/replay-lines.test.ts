import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCaptureText, replayLines } from '../../../../src/main/capture/replay-lines';
import { replayCapture } from '../../../../src/main/capture/replay';
import { capture } from '../../../support/paths';

describe('replayLines (in-memory replay for benchmarks)', () => {
  for (const name of ['binance-spot_2021-10-12.capture.jsonl', 'kraken_2021-04-17.capture.jsonl']) {
    it(`gives the same counts as replayCapture on ${name}`, async () => {
      const path = capture(name);
      const fromFile = await replayCapture(path);
      const lines = parseCaptureText(readFileSync(path, 'utf8'));
      const first = await replayLines(lines);
      const again = await replayLines(lines); // the same lines replay again from scratch
      for (const r of [first, again]) {
        expect(r.messages).toBe(fromFile.messages);
        expect(r.topOfBookChanges).toBe(fromFile.topOfBookChanges);
        expect(r.checksumOk).toBe(fromFile.verify.checksumOk);
        expect(r.bboOk).toBe(fromFile.verify.bboOk);
        expect(r.gaps + r.checksumFailed + r.bboFailed + r.malformedFrames).toBe(0);
      }
      if (name.startsWith('kraken')) expect(first.checksumOk).toBe(4269);
      else expect(first.bboOk).toBe(26);
    });
  }

  it('names the line of a corrupt capture', () => {
    expect(() => parseCaptureText('{"ts":1,"conn":"c1","venue":"demo","kind":"open","url":"x"}\nnot json\n')).toThrow(/capture line 2: not valid JSON/);
  });
});
