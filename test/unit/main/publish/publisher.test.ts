/**
 * The publisher's promises (DESIGN.md "Streaming to windows"): at most one message per window per
 * tick, only when something changed; a slow window gets the newest frame, never a queue; a window
 * still draining earlier messages is skipped; subscriptions die with their window.
 */
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../src/shared/contract';
import { Publisher, type FrameSource, type PublisherClient } from '../../../../src/main/publish/publisher';

/** A source over a counter the test moves; counts how often a frame is built and whether it was released. */
function counterSource() {
  const state = { value: 0, builds: 0, disposed: false };
  const source: FrameSource = {
    version: () => state.value,
    build: () => {
      state.builds++;
      return { value: state.value };
    },
    dispose: () => {
      state.disposed = true;
    },
  };
  return { state, source };
}

function window(): PublisherClient & { messages: ServerMessage[]; busy: boolean } {
  const client = {
    messages: [] as ServerMessage[],
    busy: false,
    send: (m: ServerMessage) => void client.messages.push(m),
    backpressured: () => client.busy,
  };
  return client;
}

const framesOf = (messages: ServerMessage[]) => messages.flatMap((m) => (m.t === 'frames' ? m.frames : []));

describe('Publisher', () => {
  it('sends one message per window per tick, holding a frame for each changed subscription, and nothing when nothing changed', () => {
    const publisher = new Publisher(1_000_000);
    const client = window();
    const session = publisher.open(client);
    const a = counterSource();
    const b = counterSource();
    session.add(1, a.source);
    session.add(2, b.source);
    publisher.tick();
    expect(client.messages).toHaveLength(1);
    expect(framesOf(client.messages).map((f) => f.id)).toEqual([1, 2]);
    publisher.tick();
    expect(client.messages).toHaveLength(1); // nothing changed: nothing sent
    b.state.value = 5;
    publisher.tick();
    expect(client.messages).toHaveLength(2);
    expect(client.messages[1]).toEqual({ t: 'frames', frames: [{ id: 2, frame: { value: 5 } }] });
    publisher.stop();
  });

  it('gives a slow window the newest frame, never a queue of the ones it missed', () => {
    const publisher = new Publisher(1_000_000);
    const client = window();
    const session = publisher.open(client);
    const src = counterSource();
    session.add(1, src.source);
    publisher.tick();
    client.busy = true;
    for (let v = 1; v <= 10; v++) {
      src.state.value = v; // ten changes while the window is still busy
      publisher.tick();
    }
    expect(client.messages).toHaveLength(1);
    expect(src.state.builds).toBe(1); // nothing built for a window that cannot take it
    client.busy = false;
    publisher.tick();
    expect(client.messages).toHaveLength(2);
    expect(framesOf(client.messages.slice(1))).toEqual([{ id: 1, frame: { value: 10 } }]);
    publisher.tick();
    expect(client.messages).toHaveLength(2);
    publisher.stop();
  });

  it('skips a backpressured window and still serves the others', () => {
    const publisher = new Publisher(1_000_000);
    const slow = window();
    const fast = window();
    const slowSrc = counterSource();
    const fastSrc = counterSource();
    publisher.open(slow).add(1, slowSrc.source);
    publisher.open(fast).add(1, fastSrc.source);
    slow.busy = true;
    for (let v = 1; v <= 3; v++) {
      slowSrc.state.value = v;
      fastSrc.state.value = v;
      publisher.tick();
    }
    expect(slow.messages).toHaveLength(0);
    expect(framesOf(fast.messages).map((f) => (f.frame as { value: number }).value)).toEqual([1, 2, 3]);
    publisher.stop();
  });

  it('releases every source when its window closes or unsubscribes, and sends a closed window nothing', () => {
    const publisher = new Publisher(1_000_000);
    const client = window();
    const session = publisher.open(client);
    const kept = counterSource();
    const dropped = counterSource();
    session.add(1, kept.source);
    session.add(2, dropped.source);
    session.remove(2);
    expect(dropped.state.disposed).toBe(true);
    expect(kept.state.disposed).toBe(false);
    expect(publisher.sessionCount).toBe(1);
    session.close();
    expect(kept.state.disposed).toBe(true);
    expect(publisher.sessionCount).toBe(0);
    const late = counterSource();
    session.add(3, late.source); // a subscription that resolves after its window closed
    expect(late.state.disposed).toBe(true);
    publisher.tick();
    expect(client.messages).toHaveLength(0);
    publisher.stop();
  });

  it('ticks on its own timer at the configured rate', async () => {
    const publisher = new Publisher(10);
    const client = window();
    const src = counterSource();
    publisher.open(client).add(1, src.source);
    for (let v = 1; v <= 5; v++) {
      src.state.value = v;
      await new Promise((r) => setTimeout(r, 25));
    }
    publisher.stop();
    const values = framesOf(client.messages).map((f) => (f.frame as { value: number }).value);
    expect(values.length).toBeGreaterThanOrEqual(3);
    expect(values.at(-1)).toBe(5);
    // Never the same state twice.
    expect(new Set(values).size).toBe(values.length);
  });
});
